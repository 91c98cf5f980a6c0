// Choosing a connector group among hundreds, with the keyboard: a dialog with a search box
// (Graph's $filter on the name) and a list box of the matching groups, read a page at a time.
// It is the keyboard path for moving a connector and for assigning an application.
import { byId, h } from './dom.js';
import { literal, PROXY, withQuery } from './graph.js';

export const PICKER_PAGE = 50;
const SEARCH_DELAY_MS = 250;

/**
 * createGroupPicker(graph) → { pick({ title, text, ok, exclude, extra }) → Promise<{ id, name } | null> }
 * `exclude`: a group id not to offer (the connector's own group); `extra`: an option offered
 * first ({ id, name }, e.g. "No assignment").
 */
export function createGroupPicker(graph) {
  const dialog = byId('picker-dialog');
  const form = byId('picker-form');
  const search = byId('picker-search');
  const list = byId('picker-list');
  const hint = byId('picker-hint');
  const error = byId('picker-error');
  let current = null;
  let timer;
  let generation = 0;

  async function fill() {
    const mine = ++generation;
    const text = search.value.trim();
    hint.textContent = 'Searching…';
    try {
      const path = withQuery(`${PROXY}/connectorGroups`, {
        $select: 'id,name,region,isDefault',
        $filter: text ? `contains(name,${literal(text)})` : undefined,
        $orderby: 'name',
      });
      const page = await graph.page(path, { size: PICKER_PAGE });
      if (mine !== generation || !current) return;
      const groups = page.items.filter((g) => g.id !== current.exclude);
      const options = [
        // "No assignment" and the like are offered until a search names groups.
        current.extra && !text && h('option', { value: current.extra.id }, current.extra.name),
        ...groups.map((g) =>
          h(
            'option',
            { value: g.id, dataset: { name: g.name ?? '' } },
            `${g.name || '(no name)'}${g.isDefault ? ' (default group)' : ''}${g.region ? ` · ${g.region}` : ''}`,
          ),
        ),
      ].filter(Boolean);
      list.replaceChildren(...options);
      if (options.length) list.selectedIndex = 0;
      hint.textContent =
        groups.length === 0
          ? text
            ? `No other group's name contains "${text}".`
            : 'There is no other group. Create one first.'
          : page.next
            ? `The first ${PICKER_PAGE} groups by name; type to narrow the list.`
            : `${groups.length} group${groups.length === 1 ? '' : 's'}.`;
    } catch (failure) {
      if (mine === generation) hint.textContent = `Could not list the groups: ${failure.message}`;
    }
  }

  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(fill, SEARCH_DELAY_MS);
  });
  // Down arrow from the search box goes to the list, as in a combo box.
  search.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowDown' && list.options.length) {
      event.preventDefault();
      list.focus();
    }
  });
  list.addEventListener('dblclick', () => form.requestSubmit());
  byId('picker-cancel').addEventListener('click', () => dialog.close());

  function pick({ title, text, ok, exclude = null, extra = null }) {
    current = { exclude, extra };
    byId('picker-title').textContent = title;
    byId('picker-text').textContent = text ?? '';
    byId('picker-ok').textContent = ok;
    search.value = '';
    error.textContent = '';
    list.replaceChildren();
    void fill();
    return new Promise((resolve) => {
      const finish = (answer) => {
        form.removeEventListener('submit', onSubmit);
        dialog.removeEventListener('close', onClose);
        current = null;
        if (dialog.open) dialog.close();
        resolve(answer);
      };
      const onSubmit = (event) => {
        event.preventDefault();
        const option = list.selectedOptions[0];
        if (!option) {
          error.textContent = 'Choose a group in the list first.';
          list.focus();
          return;
        }
        finish({ id: option.value, name: option.dataset.name ?? option.textContent });
      };
      const onClose = () => finish(null);
      form.addEventListener('submit', onSubmit);
      dialog.addEventListener('close', onClose);
      dialog.showModal();
      search.focus();
    });
  }

  return { pick };
}
