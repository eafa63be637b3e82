// Starts the GOV.UK Frontend components on every page (loaded as a module, so it runs after parsing).
import { initAll } from '/assets/dist/govuk-frontend.min.js';

document.body.classList.add('govuk-frontend-supported');
initAll();
