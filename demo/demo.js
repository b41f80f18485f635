// The demo page: a room name (picked, made up, or taken from an invite link), the invite link
// to copy, a pre-join preview with the device menu, then the call filling the page.
// `?debug` adds an event log; `?autostart` joins at once; `?lang=de` picks the element's language.
const call = document.querySelector('p2p-video-call');
const form = document.querySelector('#join');
const invite = document.querySelector('#invite');
const link = document.querySelector('#invite-link');
const copied = document.querySelector('#copied');
const title = document.querySelector('#room-title');
const roomError = document.querySelector('#room-error');
const params = new URLSearchParams(location.search);
const IN_CALL = ['requesting-media', 'joining', 'waiting', 'connecting', 'connected', 'reconnecting'];
const NAME_KEY = 'p2p-video-call-demo:name';

const WORDS = [
  ['calm', 'bright', 'quick', 'gentle', 'brave', 'lucky', 'sunny', 'quiet', 'amber', 'silver'],
  ['otter', 'falcon', 'maple', 'harbor', 'comet', 'meadow', 'lynx', 'river', 'cedar', 'heron'],
];
const random = (n) => crypto.getRandomValues(new Uint32Array(1))[0] % n;
/** A room name that is easy to read out: `calm-otter-42`. */
const newRoomName = () => `${WORDS[0][random(10)]}-${WORDS[1][random(10)]}-${random(100)}`;

/** The element's rule for a room name (1–64 of A–Z a–z 0–9 . _ -, not starting with a dot). */
const ROOM = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}$/;
/** A usable room name made from an unusable one (`My Room!` → `My-Room`), or a made-up one. */
function cleanRoom(text) {
  const cleaned = text
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[.-]+|-+$/g, '')
    .slice(0, 64)
    .replace(/-+$/, '');
  return ROOM.test(cleaned) ? cleaned : newRoomName();
}

/** This page with `?room=` (and the page's `?lang=`): what the other person opens. */
function inviteLink(room) {
  const url = new URL(location.pathname, location.origin);
  url.searchParams.set('room', room);
  if (params.get('lang')) url.searchParams.set('lang', params.get('lang'));
  return url.href;
}

/** Keeps the address bar on the room (so a reload or a shared address lands in it). */
function showRoomInAddress(room) {
  const url = new URL(location.href);
  url.searchParams.set('room', room);
  history.replaceState(null, '', url);
}

/**
 * The room is chosen: the camera with the device menu before joining, and for the one who
 * made the room the invite link (the one who opened an invite link has nobody to send it to).
 */
function prejoin(room, invited = false) {
  document.body.classList.add('has-room');
  roomError.hidden = true;
  form.room.value = room;
  title.textContent = `Room ${room}`;
  title.hidden = false;
  link.value = inviteLink(room);
  invite.hidden = invited;
  copied.textContent = '';
  form.querySelector('#submit').textContent = 'Join call';
  document.querySelector('#lead').textContent = invited
    ? 'You were invited to this call. Check your camera and microphone, then press Join.'
    : 'Check your camera and microphone, send the invite link, then press Join.';
  showRoomInAddress(room);
  call.room = room;
  call.name = form.name.value.trim();
  if (['idle', 'ended', 'failed'].includes(call.state)) void call.preview();
}

function join() {
  const name = form.name.value.trim();
  localStorage.setItem(NAME_KEY, name);
  call.name = name;
  call.room = form.room.value;
  void call.start();
}

form.room.value = params.get('room') ?? newRoomName();
form.name.value = params.get('name') ?? localStorage.getItem(NAME_KEY) ?? '';
if (params.get('lang')) {
  call.lang = params.get('lang');
  document.documentElement.lang = call.lang;
}

/** An invite link whose room cannot be used: say the rule, and offer a room that can. */
function refuseRoom(asked) {
  const suggestion = cleanRoom(asked);
  form.room.value = suggestion;
  const shown = asked.length > 40 ? `${asked.slice(0, 40)}…` : asked;
  roomError.textContent = asked
    ? `The room name in this link (“${shown}”) cannot be used: a room name is 1 to 64 letters, digits, dots, dashes or underscores, not starting with a dot. Continue with “${suggestion}” below, or pick another.`
    : `This link names no room. Continue with “${suggestion}” below, or pick another.`;
  roomError.hidden = false;
}

// The field says the rule in words, not the browser's "match the requested format".
form.room.addEventListener('invalid', () =>
  form.room.setCustomValidity(
    form.room.value ? 'A room name is 1 to 64 letters, digits, dots, dashes or underscores, not starting with a dot.' : 'Pick a room name.',
  ),
);
form.room.addEventListener('input', () => form.room.setCustomValidity(''));

document.querySelector('#new-room').addEventListener('click', () => {
  const room = newRoomName();
  if (document.body.classList.contains('has-room')) prejoin(room);
  else form.room.value = room;
});

form.room.addEventListener('change', () => {
  if (document.body.classList.contains('has-room') && form.room.checkValidity()) prejoin(form.room.value);
});

// The element's own Join button joins with the name as it is typed.
form.name.addEventListener('input', () => {
  call.name = form.name.value.trim();
  localStorage.setItem(NAME_KEY, call.name);
});

form.addEventListener('submit', (event) => {
  event.preventDefault();
  if (document.body.classList.contains('has-room')) join();
  else prejoin(form.room.value);
});

document.querySelector('#copy').addEventListener('click', async () => {
  if (!link.value) return;
  try {
    await navigator.clipboard.writeText(link.value);
    copied.textContent = 'Link copied. Send it to the person you want to call.';
  } catch {
    // No clipboard access (an older browser, or permission refused): leave it selected.
    link.select();
    copied.textContent = 'Press Ctrl+C (⌘C on a Mac) to copy the selected link.';
  }
});

// The call fills the page while it runs.
call.addEventListener('call-state-change', (event) => {
  document.body.classList.toggle('in-call', IN_CALL.includes(event.detail.state));
  // Once the other person is here, the invite link has done its job: the call gets the room.
  document.body.classList.toggle('connected', event.detail.state === 'connected');
});

if (params.has('debug')) {
  const log = document.querySelector('#log');
  document.querySelector('#debug').hidden = false;
  for (const type of [
    'call-state-change',
    'media-error',
    'peer-joined',
    'call-connected',
    'call-reconnecting',
    'remote-media-change',
    'peer-left',
    'call-ended',
    'call-error',
    'device-change',
    'quality-change',
  ]) {
    call.addEventListener(type, (event) => {
      log.textContent += `${new Date().toLocaleTimeString()} ${type} ${JSON.stringify(event.detail)}\n`;
      log.scrollTop = log.scrollHeight;
    });
  }
}

// A third person in a full room: nothing to wait for here; a room of their own is one click away.
call.addEventListener('call-error', (event) => {
  if (event.detail.code !== 'room-full') return;
  invite.hidden = true;
  document.querySelector('#lead').textContent =
    'This call already has two people in it. Ask for a new link, or start a call of your own with “New name”.';
});

const asked = params.get('room');
if (asked !== null && !ROOM.test(asked)) {
  refuseRoom(asked);
} else if (asked !== null && params.has('autostart')) {
  document.body.classList.add('has-room');
  join();
} else if (asked !== null) {
  prejoin(asked, true);
}
