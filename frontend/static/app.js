// Progressive enhancement only: every page works without this script.
import { initAll } from '/assets/nhsuk-frontend.min.js';

document.body.classList.add('js-enabled', 'nhsuk-frontend-supported');
initAll();

// Follow-up questions stay hidden until the answer they depend on is
// chosen. A hidden one's fields are disabled, so that an answer it held
// before the choice changed is not sent (the server refuses answers to
// follow-ups that do not apply, and says so).
for (const group of document.querySelectorAll('[data-condition-question]')) {
  const name = group.dataset.conditionQuestion;
  const codes = group.dataset.conditionCodes.split(' ');
  const inputs = document.querySelectorAll(`input[name="${CSS.escape(name)}"]`);
  const update = () => {
    group.hidden = ![...inputs].some((i) => i.checked && codes.includes(i.value));
    for (const field of group.querySelectorAll('input, textarea, select')) {
      field.disabled = group.hidden;
    }
  };
  inputs.forEach((i) => i.addEventListener('change', update));
  update();
}

for (const button of document.querySelectorAll('[data-print]')) {
  button.hidden = false;
  button.addEventListener('click', () => window.print());
}
