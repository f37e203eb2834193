// Shows how many questions are answered while the form is filled in.
const form = document.getElementById("questionnaire");
const bar = document.getElementById("progress");
const text = document.getElementById("progress-text");

if (form && bar && text) {
  const items = [...form.querySelectorAll("fieldset.item")];
  const update = () => {
    const answered = items.filter((item) => item.querySelector("input:checked")).length;
    bar.value = answered;
    text.textContent = text.dataset.template
      .replace("{a}", String(answered))
      .replace("{n}", String(items.length));
  };
  form.addEventListener("change", update);
  update();
}
