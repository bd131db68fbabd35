// n8n's own logger reports every node error it sees (as n8n does in production);
// in tests those are expected failures, so keep the output readable.
process.env.N8N_LOG_LEVEL ??= 'silent';
