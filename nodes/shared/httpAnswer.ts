import type { HttpResponse } from './transport';

/** An answer whose headers are read into an object only when asked for: most answers are judged by status and body. */
export class Answer implements HttpResponse {
	private read?: Record<string, string>;

	constructor(
		readonly status: number,
		private readonly rawHeaders: ReadonlyArray<Buffer | string>,
		readonly text: string,
	) {}

	get headers(): Record<string, string> {
		if (!this.read) {
			this.read = {};
			for (let i = 0; i + 1 < this.rawHeaders.length; i += 2) this.read[String(this.rawHeaders[i]).toLowerCase()] = String(this.rawHeaders[i + 1]);
		}
		return this.read;
	}

	toJSON(): HttpResponse {
		return { status: this.status, headers: this.headers, text: this.text };
	}
}
