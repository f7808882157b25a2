// Listen to the sandbox's proposal hub with the official @microsoft/signalr client, as the InsurUp
// SDK does: WebSockets, JSON protocol, the token as access_token, Register({proposalId}).
// Usage: node watch.mjs <baseUrl> <token> <proposalId> <expectedEvents> [negotiate]
// Prints one JSON line per event received, then {"done": true}; exits 1 on error or timeout.
import * as signalR from "@microsoft/signalr";

const [base, token, proposalId, expected, mode] = process.argv.slice(2);
const events = ["ReceiveProposalProductSuccess", "ReceiveProposalProductFailed", "ReceiveProposalProductPurchasing",
  "ReceiveProposalProductPurchased", "ReceiveProposalProductPurchaseFailed"];
const connection = new signalR.HubConnectionBuilder()
  .withUrl(`${base}/hubs/proposal-detail`, {
    accessTokenFactory: () => token,
    transport: signalR.HttpTransportType.WebSockets,
    skipNegotiation: mode !== "negotiate",
  })
  .configureLogging(signalR.LogLevel.None)
  .build();
let seen = 0;
const timer = setTimeout(() => { console.log(JSON.stringify({ error: "timeout", seen })); process.exit(1); }, 20000);
for (const name of events) {
  connection.on(name, async (payload) => {
    console.log(JSON.stringify({ event: name, payload }));
    seen += 1;
    if (seen >= Number(expected)) {
      clearTimeout(timer);
      await connection.stop();
      console.log(JSON.stringify({ done: true }));
      process.exit(0);
    }
  });
}
try {
  await connection.start();
  await connection.invoke("Register", { proposalId });
  console.log(JSON.stringify({ registered: proposalId }));
  try {
    await connection.invoke("Register", { proposalId: "000000000000000000000000" });
  } catch (err) {
    console.log(JSON.stringify({ refused: String(err.message || err) }));
  }
} catch (err) {
  console.log(JSON.stringify({ error: String(err.message || err) }));
  process.exit(1);
}
