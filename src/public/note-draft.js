// Keeps a case note's draft while it is written: a few seconds after the last change, the form's fields are sent
// to the draft address (the same one the "Save as draft" button posts to), so a session that times out loses at
// most those seconds of typing. Without JavaScript, the button does the same. The draft is kept for its writer only.
const form = document.querySelector('form[data-draft-url]');
const status = document.getElementById('draft-status');
const WAIT_MS = 3000;
let timer = null;
let sending = false;

function say(text) {
  if (status) status.textContent = text;
}

async function save() {
  if (!form || sending) return;
  sending = true;
  try {
    const res = await fetch(form.dataset.draftUrl, {
      method: 'POST',
      headers: { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(new FormData(form)),
      credentials: 'same-origin',
      redirect: 'manual',
    });
    if (res.ok) {
      const { saved_at_label } = await res.json();
      say(`Draft saved at ${saved_at_label}.`);
    } else if (res.type === 'opaqueredirect' || res.status === 401 || res.status === 403) {
      say('Your draft could not be saved because you have been signed out. Sign in again in a new tab, then save.');
    } else {
      const body = await res.json().catch(() => ({}));
      say(`Your draft could not be saved: ${body.message ?? 'try the Save as draft button'}.`);
    }
  } catch {
    say('Your draft could not be saved: check your connection, then use the Save as draft button.');
  } finally {
    sending = false;
  }
}

if (form) {
  form.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(save, WAIT_MS);
  });
  // Saving the note (or the draft by the button) makes a pending automatic save pointless.
  form.addEventListener('submit', () => clearTimeout(timer));
}
