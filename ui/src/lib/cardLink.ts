// A card's verify link that opened the app (src-tauri/src/card_scan.rs keeps it until taken): "Periksa Kartu ASN"
// opens with its token checked, once someone is logged in (the check reads the account's cached card keys).
import { api } from './api';
import { app, go } from './store.svelte';

/** Open the check for a pending card link, if any and if a user is logged in (the link waits for the login). */
export async function openCardLink(): Promise<void> {
  if (!app.user) return;
  const token = await api.takeCardLink().catch(() => null);
  if (token) go({ name: 'card_check', token });
}
