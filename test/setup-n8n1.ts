// The "n8n 1.x" jest project: n8n-core / n8n-workflow are mapped to their 1.x releases.
process.env.N8N_LINE_UNDER_TEST = '1';
