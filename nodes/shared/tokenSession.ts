import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { ProviderError, type ProviderCredentials, type ProviderSession } from './provider';
import { redact } from './redact';

interface SessionSource {
	name: string;
	credentialType: string;
	session?: ProviderSession;
}

/**
 * The token of a provider with a session, for one node run. n8n keeps it in the
 * credential: when the credential holds none, or the provider refuses the one it
 * holds, the probe goes out through n8n's helper with the credential, which makes
 * n8n run the credential's preAuthentication and store the new token (in the
 * database, for every execution and worker); the credential is then read again.
 * The token joins the credential's secrets, so it is redacted like them.
 */
export class TokenSession {
	private renewing?: Promise<void>;

	private constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly source: SessionSource & { session: ProviderSession },
		private readonly credentials: ProviderCredentials,
	) {}

	/** Undefined for providers without a session; the token is got at the first request (a run that sends nothing asks for none). */
	static open(ctx: IExecuteFunctions, source: SessionSource, credentials: ProviderCredentials, raw: IDataObject): TokenSession | undefined {
		if (!source.session) return undefined;
		const session = new TokenSession(ctx, { ...source, session: source.session }, credentials);
		session.adopt(raw);
		return session;
	}

	/** A token for the next request: the credential's, or one n8n gets now (once for all requests waiting). */
	async ready(): Promise<void> {
		if (!this.credentials.token) await this.renew(undefined);
	}

	get session(): ProviderSession {
		return this.source.session;
	}

	/** After the provider refused `stale`: one new token for every request that saw it refused. */
	async renew(stale: string | undefined): Promise<void> {
		if (this.credentials.token !== stale) return;
		this.renewing ??= this.fetch().finally(() => (this.renewing = undefined));
		await this.renewing;
	}

	private async fetch(): Promise<void> {
		const { ctx, source } = this;
		const before = this.credentials.token;
		try {
			await ctx.helpers.httpRequestWithAuthentication.call(ctx, source.credentialType, source.session.probe(this.credentials));
		} catch (error) {
			const cause = redact((error as Error).message ?? String(error), this.credentials.secrets);
			throw new ProviderError(`${source.name} gave n8n no usable token for this credential: ${cause}`, { ambiguous: false, hint: `Check the credential's client ID and secret, then test it.` });
		}
		this.adopt((await ctx.getCredentials(source.credentialType)) as IDataObject);
		if (!this.credentials.token || this.credentials.token === before) {
			throw new ProviderError(`${source.name} refused the token n8n keeps for this credential, and n8n got no new one`, { ambiguous: false, hint: 'Test the credential to get a new token.' });
		}
	}

	private adopt(raw: IDataObject): void {
		const token = raw[this.source.session.tokenField];
		this.credentials.token = typeof token === 'string' && token !== '' ? token : undefined;
		// A new list: redact() works out each list's forms once.
		if (this.credentials.token && !this.credentials.secrets.includes(this.credentials.token)) this.credentials.secrets = Object.freeze([...this.credentials.secrets, this.credentials.token]) as string[];
	}
}
