// The demo page: a room name (picked, made up, or taken from an invite link), the invite link
// to copy, a pre-join preview with the device menu, then the call filling the page.
// `?debug` adds an event log; `?autostart` joins at once; `?lang=de` picks the element's language.
const call = document.querySelector('p2p-video-call');
const form = document.querySelector('#join');
const invite = document.querySelector('#invite');
const link = document.querySelector('#invite-link');
const copied = document.querySelector('#copied');
const title = document.querySelector('#room-title');
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

/** This page with `?room=`: what the other person opens. */
function inviteLink(room) {
  const url = new URL(location.pathname, location.origin);
  url.searchParams.set('room', room);
  return url.href;
}

/** Keeps the address bar on the room (so a reload or a shared address lands in it). */
function showRoomInAddress(room) {
  const url = new URL(location.href);
  url.searchParams.set('room', room);
  history.replaceState(null, '', url);
}

/** The room is chosen: the invite link, and the camera with the device menu before joining. */
function prejoin(room) {
  document.body.classList.add('has-room');
  form.room.value = room;
  title.textContent = `Room ${room}`;
  title.hidden = false;
  link.value = inviteLink(room);
  invite.hidden = false;
  copied.textContent = '';
  form.querySelector('#submit').textContent = 'Join call';
  document.querySelector('#lead').textContent = 'Check your camera and microphone, send the invite link, then press Join.';
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
if (params.get('lang')) call.lang = params.get('lang');

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

if (params.has('room') && params.has('autostart')) {
  document.body.classList.add('has-room');
  join();
} else if (params.has('room')) {
  prejoin(params.get('room'));
}
