/** The states of an SP's link to the ISMG (CmppClient), as the dashboard shows them too. */
export type ClientState = 'idle' | 'connecting' | 'up' | 'down' | 'closed';
