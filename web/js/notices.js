// What a panel shows when Graph refuses to list its objects.
import { h } from './dom.js';

/**
 * A readable notice for a failed load: for a 403, which permission the view needs (from
 * localgraph's permission matrix, docs/coverage.md); otherwise Graph's message.
 */
export function permissionNotice(error, permission, what) {
  if (error?.status === 403) {
    return h(
      'div',
      { class: 'notice notice-warning' },
      h('p', null, h('strong', null, 'Not allowed. '), `Your token does not carry a permission that lets it ${what}.`),
      h(
        'p',
        null,
        'Sign in with a token whose delegated permissions (',
        h('code', null, 'scp'),
        ') include ',
        h('code', null, permission),
        '. App-only tokens cannot list most of these objects in Graph.',
      ),
      error.graphMessage && h('p', { class: 'hint' }, `Graph said: ${error.graphMessage}`),
    );
  }
  return h(
    'div',
    { class: 'notice notice-error' },
    h('p', null, h('strong', null, 'Could not load. '), error?.message ?? String(error)),
    h('p', { class: 'hint' }, 'Retrying every few seconds.'),
  );
}
