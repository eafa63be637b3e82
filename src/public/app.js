// Starts the GOV.UK Frontend components on every page (loaded as a module, so it runs after parsing).
import { initAll } from '/assets/dist/govuk-frontend.min.js';

document.body.classList.add('govuk-frontend-supported');
initAll();

// Wide tables scroll inside their own box instead of making the whole page scroll sideways on a narrow
// screen (WCAG 2.2 1.4.10 Reflow). The box can take keyboard focus so it can be scrolled without a mouse.
// A table marked to stack on narrow screens (handover.css) needs no scrolling box: each cell gets its column's name
// to show when stacked, and the table keeps its table roles when CSS makes its rows blocks.
for (const table of document.querySelectorAll('table.app-table--stack')) {
  const names = [...table.querySelectorAll('thead th')].map((th) => th.textContent?.trim() ?? '');
  table.setAttribute('role', 'table');
  for (const group of table.querySelectorAll('thead, tbody')) group.setAttribute('role', 'rowgroup');
  for (const row of table.querySelectorAll('tr')) {
    row.setAttribute('role', 'row');
    [...row.children].forEach((cell, i) => {
      if (cell.tagName === 'TH') cell.setAttribute('role', cell.closest('thead') ? 'columnheader' : 'rowheader');
      else {
        cell.setAttribute('role', 'cell');
        cell.setAttribute('data-label', names[i] ?? '');
      }
    });
  }
}

for (const table of document.querySelectorAll('table.govuk-table')) {
  if (table.classList.contains('app-table--stack')) continue;
  if (table.parentElement?.classList.contains('app-table-scroll')) continue;
  const box = document.createElement('div');
  box.className = 'app-table-scroll';
  box.tabIndex = 0;
  box.setAttribute('role', 'region');
  const caption = table.querySelector('caption')?.textContent?.trim();
  box.setAttribute('aria-label', caption ? `${caption} (scrolls sideways)` : 'Table (scrolls sideways)');
  table.replaceWith(box);
  box.append(table);
}
