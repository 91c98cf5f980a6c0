// What a tab says about the writes made from it: "Moving …" while Graph works, then the outcome
// (success, or Graph's own message for a refusal). Each tab has its own notices, in its own
// panel: they never follow the user to another tab, successes fade after a few seconds, and a
// refusal stays until it is dismissed, the next action starts or the user leaves the tab.
import { h } from './dom.js';

export const SUCCESS_VISIBLE_MS = 6000;

/**
 * createFeedback(host) → { progress(text), success(text), error(text, { title }), clear() }.
 * `host` is an empty element at the top of a tab's panel; it gets a polite status line and an
 * alert area (both live regions, so screen readers read them out).
 */
export function createFeedback(host, { onDismiss } = {}) {
  const status = h('p', { class: 'status-message', role: 'status', 'aria-live': 'polite' });
  const alert = h('div', { class: 'alert-area', role: 'alert' });
  host.replaceChildren(status, alert);
  let timer;

  function say(text, kind) {
    clearTimeout(timer);
    status.dataset.kind = kind;
    status.textContent = text;
    if (kind === 'success') timer = setTimeout(() => (status.textContent = ''), SUCCESS_VISIBLE_MS);
  }

  return {
    progress(text) {
      alert.replaceChildren();
      say(text, 'progress');
    },
    success(text) {
      alert.replaceChildren();
      say(text, 'success');
    },
    error(text, { title = 'Refused' } = {}) {
      say('', 'idle');
      alert.replaceChildren(
        h(
          'div',
          { class: 'alert' },
          h('p', null, h('strong', null, `${title}: `), text),
          h(
            'button',
            {
              type: 'button',
              class: 'button button-quiet alert-dismiss',
              onclick: () => {
                alert.replaceChildren();
                onDismiss?.();
              },
            },
            'Dismiss',
          ),
        ),
      );
    },
    clear() {
      clearTimeout(timer);
      status.textContent = '';
      alert.replaceChildren();
    },
  };
}

/**
 * Runs one write with its feedback: `progress` shown (and `button`, if given, disabled and
 * marked busy) while it runs, then `success` (a string, or a function of the result), or the
 * error's message (Graph's words, through `describe`). Resolves true when it succeeded.
 */
export async function perform(feedback, { progress, success, button, describe = (error) => error.message }, action) {
  feedback.progress(progress);
  if (button) {
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
  }
  try {
    const result = await action();
    feedback.success(typeof success === 'function' ? success(result) : success);
    return true;
  } catch (error) {
    feedback.error(describe(error));
    return false;
  } finally {
    if (button) {
      button.disabled = false;
      button.removeAttribute('aria-busy');
    }
  }
}
