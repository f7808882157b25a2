// Listen to the proposal hub exactly as the InsurUp SDK's SignalRTransport does (packages/sdk
// src/client/signalr.ts): WebSockets without negotiation, automatic reconnect, the token from an
// accessTokenFactory, `send("Register", {proposalId})`, and handlers for its eight server methods.
// Usage: node sdk_events.mjs <baseUrl> <token> <proposalId> <stopAfterEvent>
// Prints {"registered": id}, then one JSON line per event, then {"done": true} after the stop event.
import * as signalR from "@microsoft/signalr";

const [base, token, proposalId, stopAfter] = process.argv.slice(2);
const HUB_METHODS = ["ReceiveProposalProductSuccess", "ReceiveProposalProductFailed",
  "ReceiveProposalProductInProgress", "ReceiveProposalProductRevised", "ReceiveProposalProductPurchasing",
  "ReceiveProposalProductPurchased", "ReceiveProposalProductPurchaseFailed", "ReceiveProposalProductCoverage"];
const hubUrl = new URL("/hubs/proposal-detail", base.endsWith("/") ? base : `${base}/`).toString();
const connection = new signalR.HubConnectionBuilder()
  .withUrl(hubUrl, {
    accessTokenFactory: async () => token,
    transport: signalR.HttpTransportType.WebSockets,
    skipNegotiation: true,
  })
  .withAutomaticReconnect()
  .configureLogging(signalR.LogLevel.None)
  .build();
const timer = setTimeout(() => { console.log(JSON.stringify({ error: "timeout" })); process.exit(1); }, 30000);
for (const name of HUB_METHODS) {
  connection.on(name, async (payload) => {
    if (payload.proposalId !== proposalId) return; // the SDK dispatches by event.proposalId
    console.log(JSON.stringify({ event: name, payload }));
    if (name === stopAfter) {
      clearTimeout(timer);
      await connection.stop();
      // a pipe is written asynchronously: exit once everything printed has been flushed
      process.stdout.write(JSON.stringify({ done: true }) + "\n", () => process.exit(0));
    }
  });
}
try {
  await connection.start();
  await connection.send("Register", { proposalId });
  // send() does not wait for the server: a no-op invoke makes sure Register was processed first
  try { await connection.invoke("Register", { proposalId }); } catch { /* already registered is fine */ }
  console.log(JSON.stringify({ registered: proposalId }));
} catch (err) {
  console.log(JSON.stringify({ error: String(err.message || err) }));
  process.exit(1);
}
