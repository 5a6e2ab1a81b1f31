// The document view's editor: task and reference operations, party autocomplete marks, keyboard
// shortcuts, highlighting the source of the focused value, and saving/approving as JSON with the
// session's CSRF token. Every string comes from the page's dictionary (vi or en).
import { createViewer } from "./viewer.js";

const data = JSON.parse(document.getElementById("review-data").textContent);
const strings = JSON.parse(document.getElementById("review-strings").textContent);
const csrf = document.querySelector('meta[name="csrf-token"]')?.content ?? "";
const t = (key, vars = {}) => (strings[key] ?? key).replace(/\{(\w+)\}/g, (whole, name) => (name in vars ? String(vars[name]) : whole));

const form = document.getElementById("editor");
const taskList = document.getElementById("tasks");
const referenceList = document.getElementById("references");
const statusLine = document.getElementById("status");
const viewer = createViewer({ kind: data.originalKind, spans: data.spans, t, status: document.getElementById("source-status"), body: document.getElementById("original-body") });

let dirty = false;
let keyCounter = 0;
const newKey = () => `n${Date.now().toString(36)}${(keyCounter++).toString(36)}`;
const tasks = () => [...taskList.querySelectorAll(":scope > li.task")];
const say = (text, bad = false) => {
  statusLine.textContent = text;
  statusLine.classList.toggle("bad", bad);
};
const typing = (el) => el instanceof HTMLElement && (el.matches("input, textarea, select") || el.isContentEditable);

// ---------------------------------------------------------------------------
// Tasks

function renumber() {
  tasks().forEach((li, i) => {
    li.querySelector(".task-number").textContent = t("task.label", { n: i + 1 });
    li.setAttribute("aria-label", t("task.label", { n: i + 1 }));
  });
}

function changed() {
  dirty = true;
  renumber();
}

function cloneTemplate(id) {
  return document.getElementById(id).content.firstElementChild.cloneNode(true);
}

function partyItem(role, name) {
  const li = cloneTemplate("party-template");
  const input = li.querySelector(".party-input");
  input.value = name;
  input.setAttribute("aria-label", t(role === "assignees" ? "task.assignees" : "task.collaborators"));
  return li;
}

function readParties(task, role) {
  return [...task.querySelectorAll(`.parties[data-role="${role}"] .party-input`)].map((i) => i.value.trim()).filter(Boolean);
}

function setParties(task, role, names) {
  task.querySelector(`.parties[data-role="${role}"] .party-list`).replaceChildren(...names.map((n) => partyItem(role, n)));
}

/** A new task after `after` (or at the end) with these values; its text box gets the focus. */
function insertTask(values, after) {
  const li = cloneTemplate("task-template");
  li.dataset.key = newKey();
  if (values.source !== undefined) li.dataset.source = values.source;
  li.querySelector(".task-ref").value = values.ref ?? "";
  li.querySelector(".task-text").value = values.text ?? "";
  setParties(li, "assignees", values.assignees ?? []);
  setParties(li, "collaborators", values.collaborators ?? []);
  setDeadline(li, values.deadline ?? "");
  if (after) after.after(li);
  else taskList.append(li);
  changed();
  checkRoutes();
  li.querySelector(".task-text").focus();
  return li;
}

function setDeadline(task, value) {
  const input = task.querySelector(".task-deadline");
  // A month-only deadline cannot sit in a date picker without being lost.
  if (/^\d{4}-\d{2}$/.test(value) && input.type === "date") input.type = "text";
  input.value = value;
}

function valuesOf(task) {
  return {
    source: task.dataset.source,
    ref: task.querySelector(".task-ref").value,
    text: task.querySelector(".task-text").value,
    assignees: readParties(task, "assignees"),
    collaborators: readParties(task, "collaborators"),
    deadline: task.querySelector(".task-deadline").value,
  };
}

/** Splits at the cursor; with a selection, the selected text becomes the new task and leaves the old one. */
function splitTask(task) {
  const area = task.querySelector(".task-text");
  const text = area.value;
  const start = area.selectionStart ?? text.length;
  const end = area.selectionEnd ?? start;
  const [keep, moved] = end > start ? [`${text.slice(0, start)} ${text.slice(end)}`, text.slice(start, end)] : [text.slice(0, start), text.slice(start)];
  if (!keep.trim() || !moved.trim()) return say(t("task.split"), true);
  area.value = keep.replace(/\s+/g, " ").trim();
  const copy = valuesOf(task);
  insertTask({ ...copy, text: moved.trim() }, task);
}

function mergeTask(task) {
  const next = task.nextElementSibling;
  if (!next) return;
  const a = valuesOf(task);
  const b = valuesOf(next);
  task.querySelector(".task-text").value = `${a.text.trim()} ${b.text.trim()}`.trim();
  setParties(task, "assignees", [...new Set([...a.assignees, ...b.assignees])]);
  setParties(task, "collaborators", [...new Set([...a.collaborators, ...b.collaborators])]);
  if (!a.deadline && b.deadline) setDeadline(task, b.deadline);
  next.remove();
  changed();
  task.querySelector(".task-text").focus();
}

function moveTask(task, direction) {
  const focused = document.activeElement;
  if (direction < 0 && task.previousElementSibling) task.previousElementSibling.before(task);
  else if (direction > 0 && task.nextElementSibling) task.nextElementSibling.after(task);
  else return;
  changed();
  (task.contains(focused) ? focused : task).focus();
}

function deleteTask(task) {
  const neighbour = task.nextElementSibling ?? task.previousElementSibling;
  task.remove();
  changed();
  (neighbour ?? document.querySelector('[data-action="add-task"]'))?.focus();
}

// ---------------------------------------------------------------------------
// Routing marks: the server's router (the same one approval uses) says which names are unrouted.

let routeTimer = null;
function checkRoutes() {
  if (!data.hasDirectory) return;
  clearTimeout(routeTimer);
  routeTimer = setTimeout(async () => {
    const inputs = [...form.querySelectorAll(".party-input")];
    const names = [...new Set(inputs.map((i) => i.value.trim()).filter(Boolean))];
    if (!names.length) return;
    const query = new URLSearchParams(names.map((n) => ["name", n]));
    const response = await fetch(`/review/route?${query}`, { headers: { accept: "application/json" } });
    if (!response.ok) return;
    const { routes } = await response.json();
    for (const input of inputs) {
      const name = input.value.trim();
      input.closest(".party").classList.toggle("unrouted", name !== "" && Object.hasOwn(routes, name) && routes[name] === null);
    }
  }, 250);
}

// ---------------------------------------------------------------------------
// Saving

/** The extracted item a task or reference came from: its `data-source` is "task:3" / "ref:1". */
const sourceIndex = (el) => {
  const match = /:(\d+)$/.exec(el.dataset.source ?? "");
  return match ? { source: Number(match[1]) } : {};
};
const lines = (name) => form.elements[name].value.split("\n").map((s) => s.trim()).filter(Boolean);
const text = (name) => form.elements[name].value.trim() || null;

function collect() {
  return {
    extractionId: data.extractionId,
    document: {
      type: form.elements.type.value,
      number: text("number"),
      symbol: text("symbol"),
      issuer: text("issuer"),
      issuerParent: text("issuerParent"),
      place: text("place"),
      date: text("date"),
      subject: text("subject"),
      recipients: lines("recipients"),
      signer: { name: text("signer.name"), title: text("signer.title"), authority: text("signer.authority") },
      distribution: lines("distribution"),
    },
    references: [...referenceList.querySelectorAll("tr.reference")].map((row) => ({
      key: row.dataset.key || newKey(),
      ...sourceIndex(row),
      kind: row.querySelector(".ref-kind").value,
      number: row.querySelector(".ref-number").value.trim(),
      date: row.querySelector(".ref-date").value.trim() || null,
      issuer: row.querySelector(".ref-issuer").value.trim() || null,
    })),
    tasks: tasks().map((li) => ({
      key: li.dataset.key,
      ...(li.dataset.id ? { id: li.dataset.id } : {}),
      ...sourceIndex(li),
      ref: li.querySelector(".task-ref").value.trim(),
      text: li.querySelector(".task-text").value.trim(),
      assignees: readParties(li, "assignees"),
      collaborators: readParties(li, "collaborators"),
      deadline: li.querySelector(".task-deadline").value || null,
    })),
  };
}

let busy = false;
async function submit(action) {
  if (!form || !data.editable || busy) return;
  if (!form.reportValidity()) return;
  if (action === "approve" && tasks().length === 0 && !window.confirm(t("action.noTasks"))) return;
  busy = true;
  say(t("action.saving"));
  try {
    const response = await fetch(`/review/documents/${encodeURIComponent(data.documentId)}`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json", "x-csrf-token": csrf },
      body: JSON.stringify({ ...collect(), action, from: data.from, basedOn: data.basedOn }),
    });
    const body = await response.json().catch(() => ({}));
    if (response.ok) {
      dirty = false;
      if (action === "approve") {
        say(t("action.approved"));
        window.location.assign(body.next ?? "/review");
      } else {
        say(t("action.saved", { count: body.corrections ?? 0 }));
        window.location.reload();
      }
      return;
    }
    if (response.status === 409) say(t("action.conflict"), true);
    else if (response.status === 400) say(t("action.invalid", { message: body.message ?? "" }), true);
    else say(t("action.failed", { message: body.message ?? response.statusText }), true);
  } catch (error) {
    say(t("action.failed", { message: String(error) }), true);
  } finally {
    busy = false;
  }
}

// ---------------------------------------------------------------------------
// Source highlighting

let activeSource = null;
function showSource(element) {
  const holder = element instanceof Element ? element.closest("[data-source]") : null;
  if (!holder || holder === activeSource) return;
  activeSource?.classList.remove("source-active");
  activeSource = holder;
  holder.classList.add("source-active");
  viewer.show(holder.dataset.source);
}

// ---------------------------------------------------------------------------
// Wiring

document.addEventListener("click", (event) => {
  const button = event.target instanceof Element ? event.target.closest("[data-action]") : null;
  if (!button || button.disabled) return;
  const task = button.closest("li.task");
  switch (button.dataset.action) {
    case "save":
      return void submit("save");
    case "approve":
      return void submit("approve");
    case "add-task":
      return void insertTask({}, tasks().at(-1));
    case "delete-task":
      return deleteTask(task);
    case "split":
      return splitTask(task);
    case "merge":
      return mergeTask(task);
    case "move-up":
      return moveTask(task, -1);
    case "move-down":
      return moveTask(task, 1);
    case "source":
      activeSource = null;
      return showSource(task);
    case "add-party": {
      const fieldset = button.closest(".parties");
      const li = partyItem(fieldset.dataset.role, "");
      fieldset.querySelector(".party-list").append(li);
      li.querySelector("input").focus();
      return changed();
    }
    case "remove-party": {
      const fieldset = button.closest(".parties");
      button.closest(".party").remove();
      fieldset.querySelector("[data-action=add-party]").focus();
      return changed();
    }
    case "add-reference": {
      const row = cloneTemplate("reference-template");
      row.dataset.key = newKey();
      referenceList.append(row);
      row.querySelector(".ref-number").focus();
      return changed();
    }
    case "delete-reference":
      button.closest("tr").remove();
      return changed();
  }
});

form?.addEventListener("input", (event) => {
  dirty = true;
  if (event.target.classList?.contains("party-input")) checkRoutes();
});
form?.addEventListener("focusin", (event) => showSource(event.target));
form?.addEventListener("click", (event) => {
  if (!(event.target instanceof Element) || event.target.closest("button")) return;
  activeSource = null;
  showSource(event.target);
});

document.addEventListener("keydown", (event) => {
  const target = event.target;
  const task = target instanceof Element ? target.closest("li.task") : null;
  const ctrl = event.ctrlKey || event.metaKey;
  if (ctrl && event.key === "Enter") {
    event.preventDefault();
    return void submit("approve");
  }
  if (ctrl && (event.key === "s" || event.key === "S")) {
    event.preventDefault();
    return void submit("save");
  }
  if (event.altKey && !ctrl && event.code === "KeyO") {
    event.preventDefault();
    activeSource = null;
    return showSource(target);
  }
  if (event.altKey && !ctrl && data.editable) {
    if (event.key === "Enter" && task && target.classList.contains("task-text")) {
      event.preventDefault();
      return splitTask(task);
    }
    if ((event.key === "m" || event.key === "M" || event.code === "KeyM") && task) {
      event.preventDefault();
      return mergeTask(task);
    }
    if ((event.key === "ArrowUp" || event.key === "ArrowDown") && task) {
      event.preventDefault();
      return moveTask(task, event.key === "ArrowUp" ? -1 : 1);
    }
  }
  if (ctrl || event.altKey || typing(target)) return;
  if (event.key === "j" || event.key === "k") {
    const list = tasks();
    if (!list.length) return;
    const current = list.indexOf(task);
    const next = current < 0 ? 0 : Math.min(list.length - 1, Math.max(0, current + (event.key === "j" ? 1 : -1)));
    list[next].focus();
    list[next].scrollIntoView({ block: "nearest" });
    showSource(list[next]);
    event.preventDefault();
  } else if (event.key === "?") {
    const help = document.getElementById("shortcuts");
    if (help) help.open = !help.open;
  }
});

window.addEventListener("beforeunload", (event) => {
  if (dirty) event.preventDefault();
});

renumber();
