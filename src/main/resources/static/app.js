// Panel One web page: choose photos, submit them, follow the job live and browse recent panels.
// Server text only ever reaches the page through textContent or attributes, never as markup.

const MIB = 1024 * 1024;
// The API's default limits (docs/API.md); checking them here spares a doomed upload, the API still has the last word.
const LIMITS = { files: 10, fileBytes: 20 * MIB, totalBytes: 60 * MIB };
const TYPES = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/heic', 'image/heif',
  'image/heic-sequence', 'image/heif-sequence']);
// Some systems report no type for WebP, and Chrome on Linux and Windows none for HEIC; the extension is the only
// hint then, and the API checks the bytes anyway.
const EXTENSIONS = /\.(jpe?g|png|webp|heic|heif|hif)$/i;
// Most browsers cannot draw HEIC/HEIF (Safari can): such a photo gets a placeholder, never a broken image.
const HEIF_TYPES = /^image\/hei[cf](-sequence)?$/;
const HEIF_EXTENSIONS = /\.(heic|heif|hif)$/i;

const STAGES = ['QUEUED', 'PROCESSING_IMAGES', 'GENERATING_STORY', 'GENERATING_IMAGE', 'UPLOADING'];
const TERMINAL = new Set(['COMPLETED', 'FAILED']);
const LABELS = {
  QUEUED: 'Queued',
  PROCESSING_IMAGES: 'Reading photos',
  GENERATING_STORY: 'Writing the story',
  GENERATING_IMAGE: 'Drawing the panel',
  UPLOADING: 'Publishing',
  COMPLETED: 'Done',
  FAILED: 'Failed',
};
const POLL_MS = 1000;

const $ = (id) => document.getElementById(id);
const form = $('upload-form');
const input = $('files');
const dropZone = $('drop-zone');
const formMessage = $('form-message');
const thumbs = $('thumbs');
const submit = $('submit');
const jobSection = $('job');
const jobTitle = $('job-title');
const timeline = $('timeline');
const statusLine = $('status');
const failure = $('failure');
const result = $('result');
const panelImage = $('panel-image');
const story = $('story');
const download = $('download');
const historyList = $('history');
const historyMessage = $('history-message');

/** The photos waiting to be sent: each File with an object URL for its thumbnail. */
let chosen = [];
/** Stops following the job on screen, so a newer job never gets overwritten by an older one's frames. */
let stopFollowing = () => {};

class ApiError extends Error {
  constructor(status, detail) {
    super(detail);
    this.status = status;
  }
}

function el(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

// --- Who this browser is ----------------------------------------------------------------------------------------

const TOKEN_KEY = 'panel-one-token';

/**
 * This browser's bearer token: made once from 24 random bytes (32 URL-safe characters) and kept in localStorage,
 * so the history shows this browser's panels and nobody else's. Where the API wants a key instead, the key the
 * person entered is kept in its place.
 */
function clientToken() {
  let token = localStorage.getItem(TOKEN_KEY);
  if (!/^[A-Za-z0-9._~-]{16,128}$/.test(token ?? '')) {
    const bytes = crypto.getRandomValues(new Uint8Array(24));
    token = btoa(String.fromCharCode(...bytes)).replaceAll('+', '-').replaceAll('/', '_');
    localStorage.setItem(TOKEN_KEY, token);
  }
  return token;
}

/** Key mode: asks for the API key once and keeps it as this browser's token. False if none was given. */
function askForKey() {
  const key = window.prompt('This Panel One needs an API key. Paste the key you were given:')?.trim();
  if (!key) {
    return false;
  }
  localStorage.setItem(TOKEN_KEY, key);
  return true;
}

// The WebSocket needs no token: a job's id is what lets anyone follow it.
async function api(path, options = {}) {
  const headers = { ...options.headers, Authorization: `Bearer ${clientToken()}` };
  const response = await fetch(path, { ...options, headers });
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    throw new ApiError(response.status, body?.detail ?? `The server answered ${response.status}.`);
  }
  return body;
}

function describe(error) {
  return error instanceof ApiError ? error.message : 'Could not reach Panel One. Check the connection and try again.';
}

function formatBytes(bytes) {
  return bytes >= MIB ? `${(bytes / MIB).toFixed(1)} MiB` : `${Math.max(1, Math.round(bytes / 1024))} KiB`;
}

function formatTime(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : date.toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });
}

// --- Choosing photos -------------------------------------------------------------------------------------------

function problemWith(file) {
  if (!TYPES.has(file.type) && !(file.type === '' && EXTENSIONS.test(file.name))) {
    return `“${file.name}” is not a JPEG, PNG, WebP, HEIC or HEIF image.`;
  }
  if (file.size > LIMITS.fileBytes) {
    return `“${file.name}” is larger than 20 MiB.`;
  }
  if (chosen.length >= LIMITS.files) {
    return `“${file.name}” was left out: at most ${LIMITS.files} photos.`;
  }
  const total = chosen.reduce((sum, c) => sum + c.file.size, 0);
  if (total + file.size > LIMITS.totalBytes) {
    return `“${file.name}” was left out: at most 60 MiB in all.`;
  }
  return null;
}

function addFiles(files) {
  const problems = [];
  for (const file of files) {
    const problem = problemWith(file);
    if (problem) {
      problems.push(problem);
    } else {
      // A HEIC gets no object URL: no <img> will try to draw it.
      chosen.push({ file, url: isHeif(file) ? null : URL.createObjectURL(file) });
    }
  }
  formMessage.textContent = problems.join(' ');
  renderThumbs();
}

function isHeif(file) {
  return HEIF_TYPES.test(file.type) || HEIF_EXTENSIONS.test(file.name);
}

function removeFile(index) {
  if (chosen[index].url) {
    URL.revokeObjectURL(chosen[index].url);
  }
  chosen.splice(index, 1);
  formMessage.textContent = '';
  renderThumbs();
  // Keep keyboard focus nearby instead of losing it with the removed button.
  const buttons = thumbs.querySelectorAll('button');
  (buttons[Math.min(index, buttons.length - 1)] ?? input).focus();
}

function renderThumbs() {
  thumbs.replaceChildren(...chosen.map(({ file, url }, index) => el('li', { className: 'thumb' },
    url ? preview(file, url) : placeholder(file),
    el('span', { className: 'thumb-name', textContent: file.name }),
    el('span', { className: 'thumb-size', textContent: formatBytes(file.size) }),
    el('button', {
      type: 'button',
      className: 'remove',
      textContent: 'Remove',
      ariaLabel: `Remove ${file.name}`,
      onclick: () => removeFile(index),
    }),
  )));
  submit.disabled = chosen.length === 0;
}

/** The photo itself; if the browser cannot draw it after all (an unusual JPEG, say), the placeholder instead. */
function preview(file, url) {
  const image = el('img', { src: url, alt: file.name });
  image.addEventListener('error', () => image.replaceWith(placeholder(file)), { once: true });
  return image;
}

/** Stands in for a photo the browser cannot show: its format, name and size. It is still sent. */
function placeholder(file) {
  const format = (file.name.match(/\.([a-z0-9]+)$/i)?.[1] ?? 'photo').toUpperCase();
  const box = el('div', { className: 'thumb-placeholder' },
    el('span', { className: 'placeholder-format', textContent: format }),
    el('span', { className: 'placeholder-name', textContent: file.name }),
    el('span', { className: 'placeholder-size', textContent: formatBytes(file.size) }),
    el('span', { className: 'placeholder-note', textContent: 'No preview here; it will be sent' }));
  box.setAttribute('role', 'img');
  box.setAttribute('aria-label', `${file.name}, ${formatBytes(file.size)}, no preview available`);
  return box;
}

input.addEventListener('change', () => {
  addFiles(input.files);
  // Cleared so that choosing the same file again, after removing it, fires another change.
  input.value = '';
});

for (const type of ['dragenter', 'dragover']) {
  dropZone.addEventListener(type, (event) => {
    event.preventDefault();
    dropZone.classList.add('dragging');
  });
}
dropZone.addEventListener('dragleave', () => dropZone.classList.remove('dragging'));
dropZone.addEventListener('drop', (event) => {
  event.preventDefault();
  dropZone.classList.remove('dragging');
  addFiles(event.dataTransfer.files);
});
// A photo dropped just beside the zone would otherwise replace the page with the image.
for (const type of ['dragover', 'drop']) {
  window.addEventListener(type, (event) => event.preventDefault());
}

// --- Submitting ------------------------------------------------------------------------------------------------

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  if (chosen.length === 0) {
    return;
  }
  const body = new FormData();
  for (const { file } of chosen) {
    body.append('files', file, file.name);
  }
  submit.disabled = true;
  submit.textContent = 'Uploading…';
  formMessage.textContent = '';
  try {
    let job;
    try {
      job = await api('/generate', { method: 'POST', body });
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 401 && askForKey())) {
        throw error;
      }
      job = await api('/generate', { method: 'POST', body });
    }
    chosen.forEach(({ url }) => url && URL.revokeObjectURL(url));
    chosen = [];
    renderThumbs();
    follow(job.job_id);
    loadHistory();
  } catch (error) {
    formMessage.textContent = describe(error);
    submit.disabled = false;
  } finally {
    submit.textContent = 'Make my panel';
  }
});

// --- Following a job -------------------------------------------------------------------------------------------

/** Live frames from the WebSocket; if it cannot be used, GET /job every second until the job ends. */
function follow(jobId) {
  stopFollowing();
  let stopped = false;
  let socket;
  let timer;
  let lastStage = null;

  const stop = () => {
    stopped = true;
    clearTimeout(timer);
    socket?.close();
  };
  const onJob = (job) => {
    if (stopped) {
      return;
    }
    if (STAGES.includes(job.status)) {
      lastStage = job.status;
    }
    showJob(job, lastStage);
    if (TERMINAL.has(job.status)) {
      stop();
      loadHistory();
    }
  };
  const onProblem = (message) => {
    stop();
    statusLine.textContent = message;
  };
  const poll = async () => {
    try {
      onJob(await api(`/job/${encodeURIComponent(jobId)}`));
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        onProblem(error.message);
        return;
      }
      // Anything else may pass (a restart, a dropped connection): keep trying.
    }
    if (!stopped) {
      timer = setTimeout(poll, POLL_MS);
    }
  };

  stopFollowing = stop;
  clearJobView();
  statusLine.textContent = 'Connecting…';
  try {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    socket = new WebSocket(`${scheme}://${location.host}/ws/${encodeURIComponent(jobId)}`);
  } catch {
    poll();
    return;
  }
  socket.addEventListener('message', (event) => {
    const frame = JSON.parse(event.data);
    if ('detail' in frame) {
      onProblem(frame.detail);
    } else {
      onJob(frame);
    }
  });
  // An error is always followed by close; a close before the end means the socket is no use, so poll instead.
  socket.addEventListener('close', () => {
    if (!stopped) {
      poll();
    }
  });
}

/** Shows a job from history; an unfinished one is followed live. */
function openJob(job) {
  if (TERMINAL.has(job.status)) {
    stopFollowing();
    showJob(job, null);
  } else {
    follow(job.job_id);
  }
  jobSection.hidden = false;
  jobSection.scrollIntoView({ behavior: 'smooth', block: 'start' });
  jobTitle.focus({ preventScroll: true });
}

// --- Showing a job ---------------------------------------------------------------------------------------------

function buildTimeline() {
  timeline.replaceChildren(...[...STAGES, 'END'].map((stage) => {
    const step = el('li', { className: 'step' },
      el('span', { className: 'step-label', textContent: LABELS[stage] ?? LABELS.COMPLETED }),
      el('span', { className: 'visually-hidden step-state' }));
    step.dataset.stage = stage;
    return step;
  }));
}

/**
 * Marks each step done, current, failed or pending. A failed job's snapshot does not say where it stopped, so
 * `lastStage` (the last stage seen while following it, or null) marks that step when known.
 */
function renderTimeline(status, lastStage) {
  const reached = STAGES.indexOf(status === 'FAILED' ? lastStage : status);
  const stateOf = (i, isEnd) => {
    if (status === 'COMPLETED') {
      return 'done';
    }
    if (status === 'FAILED' && (isEnd || i === reached)) {
      return 'failed';
    }
    return i < reached ? 'done' : i === reached && !isEnd ? 'current' : 'pending';
  };
  [...timeline.children].forEach((step, i) => {
    const isEnd = i === STAGES.length;
    const state = stateOf(i, isEnd);
    step.dataset.state = state;
    step.querySelector('.step-state').textContent = state === 'pending' ? '' : ` (${state})`;
    if (state === 'current' || (isEnd && TERMINAL.has(status))) {
      step.setAttribute('aria-current', 'step');
    } else {
      step.removeAttribute('aria-current');
    }
    if (isEnd) {
      step.querySelector('.step-label').textContent = status === 'FAILED' ? LABELS.FAILED : LABELS.COMPLETED;
    }
  });
}

/** Blank timeline and no result, so a previous job never shows while the next one's first news is on its way. */
function clearJobView() {
  jobSection.hidden = false;
  renderTimeline(null, null);
  failure.textContent = '';
  result.hidden = true;
}

function showJob(job, lastStage) {
  jobSection.hidden = false;
  renderTimeline(job.status, lastStage);
  statusLine.textContent = job.status === 'COMPLETED' ? 'Your panel is ready.'
    : job.status === 'FAILED' ? 'This panel could not be made.'
    : `${LABELS[job.status] ?? job.status}…`;
  failure.textContent = job.status === 'FAILED' ? (job.error_message || 'The job failed without a reason.') : '';

  const done = job.status === 'COMPLETED' && job.result;
  result.hidden = !done;
  if (done) {
    panelImage.src = job.result.image_url;
    const text = job.result.story ?? '';
    panelImage.alt = `Comic panel: ${text.split(/(?<=[.!?])\s/)[0]}`;
    story.replaceChildren(...text.split(/\n\s*\n/).map((paragraph) => el('p', { textContent: paragraph.trim() })));
    download.href = job.result.image_url;
  }
}

// --- Recent jobs -----------------------------------------------------------------------------------------------

async function loadHistory() {
  try {
    renderHistory(await api('/jobs?limit=20'));
  } catch (error) {
    historyMessage.textContent = error instanceof ApiError && error.status === 401
      ? 'This Panel One needs an API key: you will be asked for it when you make your first panel.'
      : `Recent panels could not be loaded: ${describe(error)}`;
  }
}

function renderHistory(jobs) {
  historyMessage.textContent = jobs.length === 0 ? 'No panels yet.' : '';
  historyList.replaceChildren(...jobs.map((job) => {
    const when = formatTime(job.created_at);
    const picture = job.status === 'COMPLETED' && job.result
      ? el('img', { src: job.result.image_url, alt: `Panel from ${when}`, loading: 'lazy' })
      : el('span', { className: 'no-picture', textContent: job.status === 'FAILED' ? '✕' : '…', ariaHidden: 'true' });
    const button = el('button', { type: 'button', className: 'history-item', onclick: () => openJob(job) },
      picture,
      el('span', { className: 'badge', textContent: LABELS[job.status] ?? job.status }),
      el('time', { dateTime: job.created_at, textContent: when }));
    button.dataset.jobId = job.job_id;
    button.dataset.status = job.status;
    return el('li', {}, button);
  }));
}

buildTimeline();
loadHistory();
