#!/usr/bin/env node
// The baseline of bench/relay-load.mjs: the Socket.IO relay a developer would write in an
// afternoon (rooms of two, forward every signal to the room, no validation, no resume, no
// limits), speaking just enough of our protocol for the same load generator.
//   node bench/bare-relay.mjs --port N
import { createServer } from 'node:http';
import { Server } from 'socket.io';

const port = Number(process.argv[process.argv.indexOf('--port') + 1] || 8090);
const http = createServer((req, res) => res.end(JSON.stringify({ ok: true })));
const io = new Server(http, { serveClient: false });

io.on('connection', (socket) => {
  socket.on('join', ({ room }, ack) => {
    const others = io.sockets.adapter.rooms.get(room)?.size ?? 0;
    if (others >= 2) return ack?.({ ok: false, error: { code: 'room-full' } });
    socket.join(room);
    socket.data.room = room;
    socket.to(room).emit('peer-joined', { peerId: socket.id, name: '', polite: false });
    ack?.({ ok: true, data: { peerId: socket.id, peers: [], polite: others > 0 } });
  });
  socket.on('signal', (message, ack) => {
    if (socket.data.room) socket.to(socket.data.room).emit('signal', { ...message, from: socket.id });
    ack?.({ ok: true, data: null });
  });
  socket.on('leave', (ack) => {
    const room = socket.data.room;
    if (room) socket.to(room).emit('peer-left', { peerId: socket.id });
    if (room) socket.leave(room);
    socket.data.room = undefined;
    ack?.({ ok: true, data: null });
  });
  socket.on('disconnect', () => {
    if (socket.data.room) socket.to(socket.data.room).emit('peer-left', { peerId: socket.id });
  });
});

http.listen(port, '127.0.0.1', () => console.log(JSON.stringify({ msg: 'listening', port })));
