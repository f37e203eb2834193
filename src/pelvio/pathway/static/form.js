// Progressive enhancement for the pathway questionnaires. The forms work without it: the server
// ignores answers to follow-up questions that do not apply and drops the "none of these" boxes.
//  - follow-up questions ([data-shown-when="field=value"], value "*" = any answer) are shown only
//    when their earlier answer applies; hidden ones are disabled, so they are not sent;
//  - a "none of these" box ([data-none]) and the other boxes of its question exclude each other;
//  - the progress bar and the "Question n of N" lines count the questions that are shown.

const NONE = "none";

function chosenValues(form, name) {
  return Array.from(form.querySelectorAll(`input[name="${CSS.escape(name)}"]:checked`))
    .map((input) => input.value)
    .filter((value) => value && value !== NONE);
}

function applies(form, rule) {
  const [name, wanted] = rule.split("=");
  const values = chosenValues(form, name);
  return wanted === "*" ? values.length > 0 : values.includes(wanted);
}

function isAnswered(question) {
  return Array.from(question.querySelectorAll("input, select")).some((input) =>
    input.type === "checkbox" || input.type === "radio" ? input.checked : input.value.trim() !== "",
  );
}

function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (_, key) => String(values[key] ?? ""));
}

function update(form) {
  for (const question of form.querySelectorAll("[data-shown-when]")) {
    const show = applies(form, question.dataset.shownWhen);
    question.hidden = !show;
    for (const input of question.querySelectorAll("input, select")) input.disabled = !show;
  }
  const shown = Array.from(form.querySelectorAll(".question")).filter((q) => !q.hidden);
  const numberTemplate = form.dataset.numberTemplate;
  if (numberTemplate) {
    shown.forEach((question, index) => {
      const label = question.querySelector("[data-number]");
      if (label) label.textContent = fill(numberTemplate, { n: index + 1, total: shown.length });
    });
  }
  const progress = form.querySelector("progress");
  const text = form.querySelector("[data-progress-text]");
  if (progress && text && form.dataset.progressTemplate) {
    const answered = shown.filter(isAnswered).length;
    progress.max = shown.length;
    progress.value = answered;
    text.textContent = fill(form.dataset.progressTemplate, { answered, total: shown.length });
  }
}

function exclusiveNone(form, changed) {
  if (changed.type !== "checkbox" || !changed.checked) return;
  const group = form.querySelectorAll(`input[type="checkbox"][name="${CSS.escape(changed.name)}"]`);
  for (const box of group) {
    if (box === changed) continue;
    if (changed.hasAttribute("data-none") || box.hasAttribute("data-none")) box.checked = false;
  }
}

for (const form of document.querySelectorAll("form.questionnaire")) {
  form.addEventListener("change", (event) => {
    if (event.target instanceof HTMLInputElement) exclusiveNone(form, event.target);
    update(form);
  });
  form.addEventListener("input", () => update(form));
  update(form);
}

const summary = document.getElementById("error-summary");
if (summary) summary.focus();
