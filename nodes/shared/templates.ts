/** Personalised texts: `:P1` … `:Pn` in a template, filled per recipient. */

const PLACEHOLDER = /:P(\d+)/g;

/** The placeholder numbers a template uses, in order of appearance. */
export function placeholdersIn(template: string): number[] {
	return [...template.matchAll(PLACEHOLDER)].map((m) => Number(m[1]));
}

/** How many values a template needs (its highest placeholder); throws when it uses one the provider cannot fill. */
export function placeholderCount(template: string, maxPlaceholders: number, providerName: string): number {
	const used = placeholdersIn(template);
	const beyond = used.find((n) => n < 1 || n > maxPlaceholders);
	if (beyond !== undefined) throw new Error(`The Message uses :P${beyond}; ${providerName} fills :P1 to :P${maxPlaceholders} only`);
	return used.length ? Math.max(...used) : 0;
}

/** The template with each `:Pn` replaced by values[n - 1] (nothing when there is no such value). */
export function fillTemplate(template: string, values: readonly string[]): string {
	return template.replace(PLACEHOLDER, (_, n: string) => values[Number(n) - 1] ?? '');
}
