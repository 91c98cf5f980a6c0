// Small DOM helpers. Everything the console shows is built with these: text always goes in as
// text nodes (never as HTML), so names coming from Graph cannot inject markup.

/**
 * Makes an element: h('button', { type: 'button', onclick: fn, class: 'x' }, 'Text', child).
 * Attribute values of false, null or undefined are left out; true makes an empty attribute;
 * `on<event>` functions become listeners; `value` is set as a property after the children.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  let value;
  for (const [name, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (name === 'class') el.className = Array.isArray(v) ? v.filter(Boolean).join(' ') : v;
    else if (name === 'dataset') Object.assign(el.dataset, v);
    else if (name === 'value') value = v;
    else if (name.startsWith('on') && typeof v === 'function') el.addEventListener(name.slice(2), v);
    else el.setAttribute(name, v === true ? '' : String(v));
  }
  append(el, children);
  if (value !== undefined) el.value = value;
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
}

export const byId = (id) => document.getElementById(id);

/**
 * Replaces a container's content, keeping the keyboard where it was: the element that had
 * focus (found again by its data-focus-key) gets it back, wherever it moved in the container.
 * Returns true when focus was kept.
 */
export function replaceContent(container, ...nodes) {
  const active = document.activeElement;
  const key = active && container.contains(active) ? active.getAttribute('data-focus-key') : null;
  container.replaceChildren(...nodes.flat(Infinity).filter(Boolean));
  if (!key) return false;
  return focusKey(key, container);
}

/** Focuses the element with this data-focus-key (inside `within`, default the document). */
export function focusKey(key, within = document) {
  const next = within.querySelector(`[data-focus-key="${CSS.escape(key)}"]`);
  if (!next) return false;
  next.focus({ preventScroll: false });
  return true;
}

/** A definition list of facts: facts([['External IP', '1.2.3.4'], ...]). */
export function facts(rows, className = 'facts') {
  return h(
    'dl',
    { class: className },
    rows.filter(Boolean).map(([term, value]) => h('div', null, h('dt', null, term), h('dd', null, value ?? '—'))),
  );
}

/** A status pill: active/inactive/anything, with the word itself shown (never colour alone). */
export function statusPill(status) {
  const value = String(status ?? 'unknown');
  return h('span', { class: ['pill', `pill-${value.replace(/[^a-zA-Z]/g, '').toLowerCase()}`] }, value);
}

/** Compares two strings for display order, ignoring case. */
export const byText = (a, b) =>
  String(a ?? '').localeCompare(String(b ?? ''), undefined, { sensitivity: 'base', numeric: true });

/**
 * Text that may wrap only after its separators (a machine name after its dots, a URL after its
 * slashes and dots), never inside a word or at a hyphen: "apc-0231.lisbon.contoso.com".
 */
export function breakable(text, separators = /(?<=[./])/) {
  const parts = String(text ?? '').split(separators);
  return h(
    'span',
    { class: 'breakable' },
    parts.map((part, i) => [h('span', null, part), i < parts.length - 1 ? h('wbr') : null]),
  );
}
