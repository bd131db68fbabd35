// n8n's own logger reports every node error it sees (as n8n does in production);
// in tests those are expected failures, so keep the output readable.
process.env.N8N_LOG_LEVEL ??= 'silent';

// Tests only talk to servers on 127.0.0.1: keep any proxy of the machine out of the way.
for (const name of ['NO_PROXY', 'no_proxy']) {
	process.env[name] = [process.env[name], '127.0.0.1', 'localhost'].filter(Boolean).join(',');
}
