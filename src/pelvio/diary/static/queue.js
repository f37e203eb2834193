// Diary entries never get lost: every submit goes into a queue in localStorage first, with a
// client UUID, and is sent from there. The server stores an entry once per UUID, so a retry
// after a lost answer adds nothing. Without this module the forms post the ordinary way.

const RETRY_MS = 15000;
const REFRESH_MS = 20000;

const forms = [...document.querySelectorAll("form[data-queue]")];
const status = document.getElementById("queue-status");

if (forms.length && status && window.localStorage && window.fetch) {
  const storageKey = `pelvio.diary.queue.${forms[0].dataset.queue}`;
  let sending = false;

  const load = () => {
    try {
      const items = JSON.parse(localStorage.getItem(storageKey) || "[]");
      return Array.isArray(items) ? items : [];
    } catch {
      return [];
    }
  };
  const save = (items) => localStorage.setItem(storageKey, JSON.stringify(items));

  const uuid = () => {
    if (crypto.randomUUID) return crypto.randomUUID();
    // crypto.randomUUID needs a secure context; a clinic LAN on plain http may not be one.
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  };

  const pad = (n) => String(n).padStart(2, "0");
  const localValue = (d) =>
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
  // The time field shows the diary's clock, the patient's own time zone from the profile, which
  // the server reads a typed time in: on a phone still set to another zone (a holiday, a new
  // phone) the device's clock would put entries on the wrong hour, or the wrong day.
  const zonedValue = (d, zone) => {
    if (!zone) return localValue(d);
    try {
      const parts = new Intl.DateTimeFormat("en-CA", {
        timeZone: zone,
        year: "numeric",
        month: "2-digit",
        day: "2-digit",
        hour: "2-digit",
        minute: "2-digit",
        hourCycle: "h23",
      }).formatToParts(d);
      const p = Object.fromEntries(parts.map((part) => [part.type, part.value]));
      return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
    } catch {
      return localValue(d); // a zone this browser does not know
    }
  };
  const withOffset = (d) => {
    const minutes = -d.getTimezoneOffset();
    const sign = minutes >= 0 ? "+" : "-";
    const abs = Math.abs(minutes);
    return `${localValue(d)}:00${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
  };

  const csrfToken = () => document.querySelector('meta[name="csrf-token"]')?.content || "";

  const show = (text, kind) => {
    status.textContent = text;
    status.hidden = !text;
    status.dataset.kind = kind || "";
  };

  const render = (problem) => {
    const waiting = load().length;
    if (problem === "login") {
      show(status.dataset.login, "login");
    } else if (problem) {
      show(`${status.dataset.refused} ${problem}`, "refused");
    } else if (waiting === 1) {
      show(status.dataset.pendingOne, "pending");
    } else if (waiting > 1) {
      show(status.dataset.pendingMany.replace("%n", String(waiting)), "pending");
    } else {
      show("", "");
    }
  };

  const typing = () =>
    [...document.querySelectorAll("input[type=text], input:not([type]), input[inputmode]")].some(
      (input) => input.value && input.closest("form[data-queue]"),
    );

  const flush = async () => {
    if (sending) return;
    sending = true;
    let items = load();
    let next = null;
    let problem = null;
    while (items.length) {
      const item = items[0];
      let response;
      try {
        response = await fetch(item.action, {
          method: "POST",
          body: item.body,
          credentials: "same-origin",
          headers: {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-CSRF-Token": csrfToken(),
            Accept: "application/json",
          },
        });
      } catch {
        break; // offline: keep everything and try again later
      }
      if (response.ok) {
        const body = await response.json().catch(() => ({}));
        next = body.next || null;
      } else if (response.status === 401 || response.status === 403) {
        problem = "login"; // keep it until the person has logged in again
        break;
      } else if (response.status >= 500 || response.status === 429) {
        break;
      } else {
        // Refused for a reason a retry cannot fix (a value out of range): say why.
        const body = await response.json().catch(() => ({}));
        problem = body.detail || response.statusText;
      }
      items = load();
      items.shift();
      save(items);
    }
    sending = false;
    render(problem);
    if (next && !load().length && !problem && !typing()) {
      window.location.assign(next);
    }
  };

  for (const form of forms) {
    const time = form.querySelector("input[name=time]");
    let edited = false;
    if (time) {
      time.addEventListener("input", () => {
        edited = true;
      });
      const refresh = () => {
        if (!edited && document.activeElement !== time) {
          time.value = zonedValue(new Date(), form.dataset.timezone);
        }
      };
      refresh();
      setInterval(refresh, REFRESH_MS);
    }

    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const body = new URLSearchParams();
      for (const [name, value] of new FormData(form)) {
        if (typeof value === "string" && name !== "csrf_token") body.append(name, value);
      }
      const submitter = event.submitter;
      if (submitter && submitter.name) body.set(submitter.name, submitter.value);
      body.set("client_id", uuid());
      if (!edited) {
        // Not changed by hand: the entry is for this moment, sent with this clock's offset.
        body.set("time", withOffset(new Date()));
        body.set("time_auto", "");
      }
      const items = load();
      items.push({ action: form.action, body: body.toString(), queuedAt: Date.now() });
      save(items);
      for (const name of ["void_ml", "drink_ml", "note"]) {
        const input = form.querySelector(`input[name=${name}]`);
        if (input) input.value = "";
      }
      edited = false;
      render(null);
      flush();
    });
  }

  window.addEventListener("online", flush);
  setInterval(flush, RETRY_MS);
  render(null);
  flush();
}
