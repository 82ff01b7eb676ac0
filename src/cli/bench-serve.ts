import { MsgIdGenerator } from '../cmpp/index.js';
import { CmppServer, type ServerAccount } from '../session/index.js';

/** A quiet ISMG for load tests: answers every SUBMIT at once with a fresh Msg_Id, no reports, no MO. */
export async function benchServe(
  host: string,
  port: number,
  accounts: ReadonlyMap<string, string>,
): Promise<CmppServer> {
  const ids = new MsgIdGenerator(1);
  const server = new CmppServer({
    accounts: (spId): ServerAccount | undefined => {
      const secret = accounts.get(spId);
      return secret === undefined ? undefined : { secret };
    },
    handlers: {
      submit: (_session, pdu) => ({
        Msg_Id: ids.next((pdu.fields.Dest_terminal_Id as string[]).length),
        Result: 0,
      }),
    },
  });
  await server.listen(port, host);
  return server;
}
