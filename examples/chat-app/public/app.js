// The example's browser client: plain JavaScript and the Socket.IO client the app serves.
(() => {
  const $ = (selector) => document.querySelector(selector);
  const state = { name: '', token: '', chat: null, notifications: null, rooms: new Map(), logs: new Map(), active: null };
  const device = `tab-${Math.random().toString(36).slice(2, 6)}`;

  function setStatus(text, kind) {
    const status = $('#status');
    status.textContent = text;
    status.className = `status ${kind}`;
  }

  function showError(reply) {
    $('#error').textContent = reply && reply.status === 'error' ? `${reply.code}: ${reply.message}` : '';
  }

  async function login(name) {
    const response = await fetch('/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name }),
    });
    if (!response.ok) throw new Error((await response.json()).message || 'sign-in failed');
    return (await response.json()).token;
  }

  function connect() {
    // A function, so that every reconnect sends the latest token.
    const auth = (cb) => cb({ token: state.token });
    state.chat = io('/chat', { auth });
    state.notifications = io('/notifications', { auth });

    state.chat.on('connect', async () => {
      setStatus(`connected as ${state.name}`, 'online');
      for (const room of state.rooms.keys()) await join(room); // rooms are per connection: join them again
    });
    state.chat.on('disconnect', () => setStatus('reconnecting…', 'reconnecting'));
    state.chat.io.on('reconnect_attempt', () => setStatus('reconnecting…', 'reconnecting'));
    state.chat.on('connect_error', (err) => {
      if (err.data && err.data.code === 'UNAUTHENTICATED') setStatus(`signed out (${err.data.reason})`, 'offline');
    });
    state.chat.on('auth:expiring', refreshToken);
    state.chat.on('auth:expired', () => setStatus('session expired', 'offline'));

    state.chat.on('presence:state', ({ room, users }) => setUsers(room, users));
    state.chat.on('presence:join', ({ room, user }) => upsertUser(room, user));
    state.chat.on('presence:update', ({ room, user }) => upsertUser(room, user));
    state.chat.on('presence:leave', ({ room, user }) => {
      setUsers(room, (state.rooms.get(room) || []).filter((u) => u.userId !== user.userId));
    });
    state.chat.on('msgToRoom', ({ room, from, message }) => appendLog(room, from && from.userId, message));
    state.notifications.on('notification', ({ from, text, via }) => {
      const item = document.createElement('li');
      item.append(`${asText(from)}: `, messageNode(text));
      item.title = asText(via);
      $('#notifications').prepend(item);
    });

    // presence:join fires for a user's first device only; device counts are refreshed from the server.
    setInterval(async () => {
      for (const room of state.rooms.keys()) {
        const reply = await state.chat.timeout(5000).emitWithAck('roomPresence', { room }).catch(() => null);
        if (reply && reply.status === 'ok') setUsers(room, reply.users);
      }
    }, 3000);
  }

  async function refreshToken() {
    state.token = await login(state.name);
    const replies = await Promise.all([state.chat, state.notifications].map((s) => s.emitWithAck('auth:refresh', { token: state.token })));
    if (replies.every((r) => r.status === 'ok')) setStatus(`token refreshed for ${state.name}`, 'refreshed');
  }

  async function join(room) {
    const reply = await state.chat.emitWithAck('joinRoom', { room, meta: { device } });
    showError(reply);
    if (reply.status !== 'ok') return;
    if (!state.logs.has(room)) state.logs.set(room, []);
    setUsers(room, reply.users);
    select(room);
  }

  async function leave(room) {
    await state.chat.emitWithAck('leaveRoom', { room });
    state.rooms.delete(room);
    if (state.active === room) select([...state.rooms.keys()][0] || null);
    renderRooms();
  }

  function setUsers(room, users) {
    state.rooms.set(room, users);
    renderRooms();
    if (room === state.active) renderPresence();
  }

  function upsertUser(room, user) {
    const users = (state.rooms.get(room) || []).filter((u) => u.userId !== user.userId);
    setUsers(room, [...users, user]);
  }

  // Whatever a message holds, it is shown as text (never as HTML) and never crashes the page: the
  // server checks room messages, but one sender must not be able to break every member's tab (say,
  // through an older instance that does not check). String() of `{ "toString": 1 }` throws.
  function asText(value) {
    if (typeof value === 'string') return value;
    try {
      return JSON.stringify(value) ?? typeof value;
    } catch {
      return typeof value;
    }
  }

  /** A message as a DOM node: strings as they are, anything else marked as data. */
  function messageNode(value) {
    if (typeof value === 'string') return document.createTextNode(value);
    const data = document.createElement('code');
    data.className = 'not-text';
    data.textContent = asText(value).slice(0, 200);
    return data;
  }

  function appendLog(room, who, message) {
    const log = state.logs.get(room) || [];
    log.push({ who, message });
    state.logs.set(room, log);
    if (room === state.active) renderLog();
  }

  function select(room) {
    state.active = room;
    $('#room-title').textContent = room ? `# ${room}` : 'Join a room to chat';
    $('#presence-room').textContent = room || '—';
    $('#message-input').disabled = $('#send').disabled = !room;
    renderRooms();
    renderPresence();
    renderLog();
  }

  function renderRooms() {
    const list = $('#rooms');
    list.replaceChildren(
      ...[...state.rooms.keys()].map((room) => {
        const item = document.createElement('li');
        item.dataset.room = room;
        item.className = room === state.active ? 'active' : '';
        item.textContent = `# ${room}`;
        item.onclick = () => select(room);
        const leaveButton = document.createElement('button');
        leaveButton.textContent = 'leave';
        leaveButton.onclick = (event) => {
          event.stopPropagation();
          leave(room);
        };
        item.append(leaveButton);
        return item;
      }),
    );
  }

  function renderPresence() {
    const users = state.rooms.get(state.active) || [];
    $('#presence').replaceChildren(
      ...users.map((user) => {
        const item = document.createElement('li');
        item.dataset.user = user.userId;
        const name = document.createElement('span');
        name.className = 'user';
        name.textContent = asText(user.userId);
        const devices = document.createElement('span');
        devices.className = 'devices';
        const count = Array.isArray(user.metas) ? user.metas.length : 0;
        devices.textContent = `· ${count} device${count === 1 ? '' : 's'}`;
        item.append(name, ' ', devices);
        return item;
      }),
    );
  }

  function renderLog() {
    $('#log').replaceChildren(
      ...(state.logs.get(state.active) || []).map(({ who, message }) => {
        const item = document.createElement('li');
        const name = document.createElement('span');
        name.className = 'who';
        name.textContent = asText(who);
        item.append(name, messageNode(message));
        return item;
      }),
    );
  }

  $('#signin-form').onsubmit = async (event) => {
    event.preventDefault();
    try {
      state.name = $('#name').value.trim();
      state.token = await login(state.name);
      $('#signin-panel').hidden = true;
      $('#app').hidden = false;
      connect();
    } catch (error) {
      setStatus(error.message, 'offline');
    }
  };

  $('#join-form').onsubmit = (event) => {
    event.preventDefault();
    const room = $('#room-input').value.trim() || 'general';
    $('#room-input').value = '';
    join(room);
  };

  $('#message-form').onsubmit = async (event) => {
    event.preventDefault();
    const text = $('#message-input').value;
    if (!text || !state.active) return;
    $('#message-input').value = '';
    showError(await state.chat.emitWithAck('msgToRoom', { room: state.active, message: text }));
  };

  $('#notify-form').onsubmit = async (event) => {
    event.preventDefault();
    const to = $('#notify-user').value.trim();
    const response = await fetch(`/notifications/${encodeURIComponent(to)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${state.token}` },
      body: JSON.stringify({ text: $('#notify-text').value }),
    });
    $('#notify-text').value = '';
    $('#error').textContent = response.ok ? '' : `notification refused (${response.status})`;
  };
})();
