/**
 * Access: users and API clients with their roles, and the tokens of the selected one.
 * Create a principal, issue a token (shown once, then gone from the console too), revoke
 * a token (asked first).
 */
import { useState } from 'react';
import { Box, Text } from 'ink';
import { Confirm } from '../components/confirm.js';
import { KeyHints } from '../components/key-hints.js';
import { SelectList } from '../components/select-list.js';
import { ErrorLine, StatusLine } from '../components/status-line.js';
import { TextInput } from '../components/text-input.js';
import { ago, fit, when } from '../format.js';
import { useAction } from '../hooks/use-action.js';
import { useApi } from '../hooks/use-api.js';
import { useKeymap, useOwnedInput } from '../hooks/use-keymap.js';
import { useTheme } from '../theme.js';

interface PrincipalDto { id: number; name: string; kind: 'user' | 'client'; role: string; disabled: boolean; createdAt: string }
interface TokenDto { id: number; principal: number; name: string; scopes: string[]; expiresAt: string | null; revokedAt: string | null; lastUsedAt: string | null; createdAt: string }

const ROLES = ['admin', 'clinician', 'integration', 'auditor'];

type Mode =
  | { kind: 'list' }
  | { kind: 'new'; step: 'name' | 'role' | 'kind'; name?: string; role?: string }
  | { kind: 'token'; step: 'name' | 'days'; name?: string }
  | { kind: 'shown'; token: string; name: string }
  | { kind: 'confirm'; question: string; act: () => void };

/** A token's state in one word. */
export function tokenState(t: TokenDto, now = Date.now()): 'revoked' | 'expired' | 'active' {
  if (t.revokedAt) return 'revoked';
  if (t.expiresAt && Date.parse(t.expiresAt) <= now) return 'expired';
  return 'active';
}

/** The new token, once: any key dismisses it and the console forgets it. */
function ShownOnce({ token, name, onDone }: { token: string; name: string; onDone(): void }) {
  const theme = useTheme();
  useOwnedInput(() => onDone());
  return (
    <Box flexDirection="column" borderStyle="single" paddingX={1}>
      <Text bold>New token for {name} — shown once, copy it now:</Text>
      <Text>{token}</Text>
      <Text color={theme.tone('warn')} wrap="wrap">Cusp keeps only its hash: it cannot show it again. Press any key when it is stored.</Text>
    </Box>
  );
}

export function AccessScreen({ width, height }: { width: number; height: number }) {
  const theme = useTheme();
  const principals = useApi((c) => c.call<{ principals: PrincipalDto[] }>('GET', '/principals').then((r) => r.principals), []);
  const [selected, setSelected] = useState(0);
  const [focus, setFocus] = useState<'principals' | 'tokens'>('principals');
  const [tokenSel, setTokenSel] = useState(0);
  const [mode, setMode] = useState<Mode>({ kind: 'list' });
  const action = useAction();
  const list = principals.data ?? [];
  const p = list[Math.min(selected, list.length - 1)];
  const tokens = useApi((c) => c.call<{ tokens: TokenDto[] }>('GET', `/principals/${p!.id}/tokens`).then((r) => r.tokens), [p?.id], { enabled: p !== undefined });
  const tokenList = tokens.data ?? [];
  const t = tokenList[Math.min(tokenSel, tokenList.length - 1)];
  const back = () => setMode({ kind: 'list' });
  const listing = mode.kind === 'list';

  useKeymap({
    tab: () => setFocus((f) => (f === 'principals' ? 'tokens' : 'principals')),
    n: () => setMode({ kind: 'new', step: 'name' }),
    t: () => (p ? setMode({ kind: 'token', step: 'name' }) : undefined),
    x: () => {
      if (!t || focus !== 'tokens') return action.say('select a token first (Tab to the token list)', false);
      if (tokenState(t) !== 'active') return action.say(`token ${t.id} is ${tokenState(t)} already`, false);
      setMode({
        kind: 'confirm', question: `Revoke token ${t.id} "${t.name}" of ${p?.name}? Programs using it stop working at once.`,
        act: () => void action.run(`revoke token ${t.id}`, (c) => c.call('DELETE', `/tokens/${t.id}`), () => `token ${t.id} revoked`, tokens.refresh),
      });
    },
  }, { active: listing });

  const topRows = Math.max(3, Math.floor((height - 6) / 2));
  const bottomRows = Math.max(2, height - 6 - topRows);
  let dialog = null;
  if (mode.kind === 'new') {
    if (mode.step === 'name') dialog = <TextInput key="new-name" label="Name of the user or client:" onCancel={back} onSubmit={(v) => (v.trim() ? setMode({ ...mode, step: 'role', name: v.trim() }) : back())} />;
    else if (mode.step === 'role') dialog = <TextInput key="new-role" label={`Role (${ROLES.join(', ')}):`} onCancel={back} onSubmit={(v) => setMode({ ...mode, step: 'kind', role: v.trim() })} />;
    else {
      dialog = <TextInput key="new-kind" label="Kind (user = a person, client = a program) [client]:" onCancel={back} onSubmit={(v) => {
        back();
        void action.run(`create ${mode.name}`, (c) => c.call<PrincipalDto>('POST', '/principals', { body: { name: mode.name, role: mode.role, kind: v.trim() || 'client' } }),
          (r) => `created ${r.kind} ${r.name} (${r.role}) — press t to give it a token`, principals.refresh);
      }} />;
    }
  } else if (mode.kind === 'token' && p) {
    if (mode.step === 'name') dialog = <TextInput key="token-name" label={`Token for ${p.name} — what is it for?`} example="e.g. pms-server" onCancel={back} onSubmit={(v) => (v.trim() ? setMode({ ...mode, step: 'days', name: v.trim() }) : back())} />;
    else {
      dialog = <TextInput key="token-days" label="Valid for days (Enter for the default):" onCancel={back} onSubmit={(v) => {
        const days = v.trim() ? Number(v.trim()) : undefined;
        back();
        void action.run(`issue token for ${p.name}`, (c) => c.call<{ token: string; info: TokenDto }>('POST', `/principals/${p.id}/tokens`, { body: { name: mode.name, ...(days !== undefined ? { days } : {}) } }),
          (r) => `token ${r.info.id} issued, valid until ${when(r.info.expiresAt)}`, (r) => { setMode({ kind: 'shown', token: r.token, name: p.name }); tokens.refresh(); });
      }} />;
    }
  } else if (mode.kind === 'shown') {
    dialog = <ShownOnce token={mode.token} name={mode.name} onDone={back} />;
  } else if (mode.kind === 'confirm') {
    dialog = <Confirm question={mode.question} onYes={() => { const act = mode.act; back(); act(); }} onNo={() => { back(); action.say('nothing done'); }} />;
  }

  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold wrap="truncate-end">{' '}{'Users and API clients'.padEnd(30)}{'Kind'.padEnd(8)}{'Role'.padEnd(13)}{'Since'.padEnd(11)}Audit id</Text>
      <SelectList items={list} selected={Math.min(selected, Math.max(0, list.length - 1))} onSelect={(i) => { setSelected(i); setTokenSel(0); }} height={topRows} rowKey={(x) => x.id}
        active={listing && focus === 'principals'} empty={principals.loading ? 'loading…' : 'nobody yet — press n to add a user or client'}
        row={(x) => <Text>{fit(`${x.name}${x.disabled ? ' (disabled)' : ''}`, 29, true)} {x.kind.padEnd(8)}{x.role.padEnd(13)}{when(x.createdAt).slice(0, 10)} <Text color={theme.tone('dim')}>principal:{x.id}</Text></Text>} />
      <Text bold wrap="truncate-end">{' '}Tokens of {p?.name ?? '—'} {focus === 'tokens' ? '' : <Text color={theme.tone('dim')}>(Tab to select)</Text>}</Text>
      {dialog ?? (
        <SelectList items={tokenList} selected={Math.min(tokenSel, Math.max(0, tokenList.length - 1))} onSelect={setTokenSel} height={bottomRows} rowKey={(x) => x.id}
          active={listing && focus === 'tokens'} empty={tokens.loading ? 'loading…' : 'no tokens — press t to issue one'}
          row={(x) => {
            const st = tokenState(x);
            return (
              <Text>
                {`#${x.id}`.padEnd(6)}{fit(x.name, 18, true)} <Text color={theme.tone(st === 'active' ? 'ok' : 'bad')}>{st.padEnd(8)}</Text>
                {st === 'active' ? `expires ${ago(x.expiresAt)}` : st === 'revoked' ? `revoked ${ago(x.revokedAt)}` : `expired ${ago(x.expiresAt)}`}
                <Text color={theme.tone('dim')}>{x.lastUsedAt ? ` · used ${ago(x.lastUsedAt)}` : ' · never used'}{x.scopes.length ? ` · ${x.scopes.join(',')}` : ''}</Text>
              </Text>
            );
          }} />
      )}
      <Box flexGrow={1} />
      {principals.error ? <ErrorLine error={principals.error} /> : tokens.error ? <ErrorLine error={tokens.error} /> : <StatusLine {...action.status} />}
      <KeyHints hints={[['↑↓', 'select'], ['Tab', 'users/tokens'], ['n', 'new user/client'], ['t', 'new token'], ['x', 'revoke token']]} />
    </Box>
  );
}
