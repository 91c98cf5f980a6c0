// Paging through a Graph collection the way Graph offers it: forward by @odata.nextLink, back
// by the links already visited. The page on screen is read again through its own link, so a
// refresh shows the same stretch of the (keyset-ordered) list.

/** createPager(size) → { size, url, index, start(url), forward(link), back() } */
export function createPager(size) {
  let visited = [];
  let url = null;
  return {
    size,
    /** The link of the page on screen (null before start). */
    get url() {
      return url;
    },
    /** How many pages come before this one. */
    get index() {
      return visited.length;
    },
    /** Back to the first page of a (new) query. */
    start(first) {
      visited = [];
      url = first;
    },
    forward(link) {
      visited.push(url);
      url = link;
    },
    back() {
      if (visited.length) url = visited.pop();
    },
  };
}

/** "26–50 of 5,000" for a page at `index` holding `shown` items. */
export function rangeText(index, size, shown, total, noun) {
  const format = (n) => n.toLocaleString('en-US');
  if (shown === 0) return `No ${noun}s`;
  const first = index * size + 1;
  const last = index * size + shown;
  const of = total === null || total === undefined ? '' : ` of ${format(total)}`;
  return `${format(first)}–${format(last)}${of} ${noun}${total === 1 ? '' : 's'}`;
}
