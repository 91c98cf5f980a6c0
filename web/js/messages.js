// The console's two message areas: a polite status line (what an action did) and an alert area
// (refusals and failures), both live regions so screen readers read them out.
import { byId, h } from './dom.js';

let statusTimer;

/** Says what happened, politely (the line clears itself after a while). */
export function announce(text) {
  const status = byId('status-message');
  clearTimeout(statusTimer);
  // Emptied first so that the same sentence twice is read twice.
  status.textContent = '';
  requestAnimationFrame(() => {
    status.textContent = text;
  });
  statusTimer = setTimeout(() => {
    status.textContent = '';
  }, 8000);
}

/** Shows a refusal or failure until it is dismissed or replaced by the next one. */
export function alertMessage(text, { title = 'Refused' } = {}) {
  const area = byId('alert-area');
  const box = h(
    'div',
    { class: 'alert' },
    h('p', null, h('strong', null, `${title}: `), text),
    h('button', {
      type: 'button',
      class: 'button button-quiet alert-dismiss',
      onclick: () => {
        clearAlert();
        // The button is gone with the message: the keyboard goes back to the content.
        byId('main').focus();
      },
    }, 'Dismiss'),
  );
  area.replaceChildren(box);
}

export function clearAlert() {
  byId('alert-area').replaceChildren();
}
