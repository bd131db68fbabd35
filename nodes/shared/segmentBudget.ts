import type { IContextObject } from 'n8n-workflow';

/**
 * The option Max SMS Segments Per Execution: what this node's runs in one execution
 * planned to send, kept in n8n's node context (it lasts the execution). Keyed by run
 * index, so n8n's Retry On Fail, which repeats a run, does not count it twice.
 */
export class SegmentBudget {
	private readonly byRun: Record<string, number>;

	constructor(
		context: IContextObject,
		private readonly runIndex: number,
		readonly max: number,
	) {
		this.byRun = (context.segmentsByRun ??= {}) as Record<string, number>;
	}

	/** Segments the other runs of this node in this execution planned. */
	get earlier(): number {
		return Object.entries(this.byRun).reduce((sum, [run, n]) => (run === String(this.runIndex) ? sum : sum + n), 0);
	}

	/** Why `planned` more segments may not go, or undefined when they may (or there is no cap). */
	refusal(planned: number): string | undefined {
		if (this.max <= 0) return undefined;
		const earlier = this.earlier;
		if (earlier + planned <= this.max) return undefined;
		const before = earlier > 0 ? ` (${planned} in this run, ${earlier} in earlier runs of this node)` : '';
		return `This execution would send ${segmentsText(earlier + planned)}${before}, more than the ${this.max} that 'Max SMS Segments Per Execution' allows: nothing was sent`;
	}

	record(planned: number): void {
		this.byRun[String(this.runIndex)] = planned;
	}
}

/** "1 SMS segment", "4 SMS segments". */
export function segmentsText(n: number): string {
	return `${n} SMS segment${n === 1 ? '' : 's'}`;
}
