import { KeysSection } from '../account/keys';
import { UsageSection } from '../account/usage';
import { WalletSection } from '../account/wallet';
import { WebhooksSection } from '../account/webhooks';

/** Full-access keys only (the shell hides it otherwise): keys, usage, wallet and webhook deliveries. */
export function AccountPage() {
  return (
    <>
      <h1>Account</h1>
      <UsageSection />
      <KeysSection />
      <WalletSection />
      <WebhooksSection />
    </>
  );
}
