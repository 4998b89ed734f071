// A real SMTP server (smtp-server 3) that writes every message it receives into a folder, for InclusionMap's mail tests.
//   node server.mjs DIRECTORY [USER PASSWORD]
// Listens on 127.0.0.1 and a free port, plain SMTP (no STARTTLS); with USER and PASSWORD it requires AUTH PLAIN/LOGIN.
// Prints {"port":N} once listening, then {"file":"…","from":"…","to":[…]} for each message. Stops on SIGTERM or when stdin closes.
import fs from 'node:fs';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';

const [directory, user, password] = process.argv.slice(2);
if (!directory) {
  console.error('usage: node server.mjs DIRECTORY [USER PASSWORD]');
  process.exit(2);
}
fs.mkdirSync(directory, { recursive: true });
let count = 0;

const server = new SMTPServer({
  secure: false,
  disabledCommands: ['STARTTLS'],
  authOptional: !user,
  allowInsecureAuth: true,
  authMethods: ['PLAIN', 'LOGIN'],
  onAuth(auth, session, callback) {
    if (auth.username === user && auth.password === password) return callback(null, { user });
    return callback(new Error('Invalid username or password'));
  },
  onData(stream, session, callback) {
    const chunks = [];
    stream.on('data', (chunk) => chunks.push(chunk));
    stream.on('end', () => {
      count += 1;
      const file = path.join(directory, `${String(count).padStart(4, '0')}.eml`);
      fs.writeFileSync(file, Buffer.concat(chunks));
      console.log(JSON.stringify({
        file,
        from: session.envelope.mailFrom && session.envelope.mailFrom.address,
        to: session.envelope.rcptTo.map((r) => r.address),
        user: session.user ?? null,
      }));
      callback();
    });
  },
});
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: server.server.address().port })));

const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.stdin.on('end', stop);
process.stdin.resume();
