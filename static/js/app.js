// Small behaviours of our pages, kept out of the templates: the Content-Security-Policy allows
// no inline script, no event-handler attribute and no inline style attribute.
(() => {
  // Positions computed on the server (the IPD timeline's marks and bars) travel in data-left
  // and data-width, in percent of their track. Styles set through the DOM are allowed.
  const SELECTOR = "[data-left], [data-width]";
  const percent = (value) => {
    const number = Number.parseFloat(value);
    return Number.isFinite(number) ? `${number}%` : null;
  };
  const place = (root) => {
    const elements = [...root.querySelectorAll(SELECTOR)];
    if (root.matches && root.matches(SELECTOR)) elements.push(root);
    for (const element of elements) {
      const left = percent(element.dataset.left);
      const width = percent(element.dataset.width);
      if (left !== null) element.style.left = left;
      if (width !== null) element.style.width = width;
    }
  };
  if (window.htmx) {
    // The page once loaded, then every fragment htmx swaps in (the plan's timeline is
    // refreshed out of band when an action changes).
    window.htmx.onLoad(place);
  } else {
    document.addEventListener("DOMContentLoaded", () => place(document));
  }

  // <button type="button" data-print>: prints the page.
  document.addEventListener("click", (event) => {
    if (event.target instanceof Element && event.target.closest("[data-print]")) {
      window.print();
    }
  });
})();
