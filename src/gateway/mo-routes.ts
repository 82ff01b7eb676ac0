import type { AccountConfig } from './config.js';

/**
 * Where an MO goes: the route whose extension is the longest prefix of what follows the account's service
 * code in Dest_Id (the number the user texted), else the account's webhook.
 */
export function moWebhookUrl(account: AccountConfig, dest: string): string | undefined {
  const extension = dest.startsWith(account.serviceCode) ? dest.slice(account.serviceCode.length) : undefined;
  let best: { extension: string; webhookUrl: string } | undefined;
  if (extension !== undefined) {
    for (const route of account.moRoutes ?? []) {
      if (extension.startsWith(route.extension) && route.extension.length >= (best?.extension.length ?? -1))
        best = route;
    }
  }
  return best?.webhookUrl ?? account.webhookUrl;
}
