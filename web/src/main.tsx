import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { apiKey, logOut } from './api.js';
import { startLive, useLive } from './live.js';
import { useRoute } from './router.js';
import './style.css';
import { Inbox } from './views/Inbox.js';
import { Login } from './views/Login.js';
import { MessageDetail } from './views/MessageDetail.js';
import { Messages } from './views/Messages.js';
import { Overview } from './views/Overview.js';
import { Pushes } from './views/Pushes.js';
import { Send } from './views/Send.js';

const NAV = [
  ['/', 'Overview'],
  ['/messages', 'Messages'],
  ['/inbox', 'MO inbox'],
  ['/pushes', 'WAP pushes'],
  ['/send', 'Send'],
] as const;

function View() {
  const route = useRoute();
  const detail = /^\/messages\/(.+)$/.exec(route.path);
  if (detail) return <MessageDetail id={decodeURIComponent(detail[1])} />;
  switch (route.path) {
    case '/messages':
      return <Messages route={route} />;
    case '/inbox':
      return <Inbox />;
    case '/pushes':
      return <Pushes />;
    case '/send':
      return <Send />;
    default:
      return <Overview />;
  }
}

function Shell() {
  const route = useRoute();
  const live = useLive();
  const section = `/${route.path.split('/')[1] ?? ''}`;
  return (
    <>
      <header>
        <strong class="brand">cmppgw</strong>
        <nav>
          {NAV.map(([path, label]) => (
            <a key={path} href={`#${path}`} aria-current={section === path ? 'page' : undefined}>
              {label}
            </a>
          ))}
        </nav>
        <span class={live.connected ? 'live on' : 'live'} title="live updates">
          {live.connected ? 'live' : 'offline'}
        </span>
        <button type="button" class="link" onClick={logOut}>
          Log out
        </button>
      </header>
      <View />
    </>
  );
}

function App() {
  const [key, setKey] = useState(apiKey());
  useEffect(() => {
    const out = () => setKey(null);
    window.addEventListener('cmppgw:logout', out);
    return () => window.removeEventListener('cmppgw:logout', out);
  }, []);
  useEffect(() => (key ? startLive() : undefined), [key]);
  return key ? <Shell /> : <Login onLogin={() => setKey(apiKey())} />;
}

render(<App />, document.getElementById('app') as HTMLElement);
