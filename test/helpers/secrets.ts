/** A secret as it could leak: as typed, URL-encoded, form-encoded (space as +). */
export function secretForms(secret: string): string[] {
	return [secret, encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2)];
}

/** Fails the test when any form of any secret is in the text. */
export function expectNoSecretIn(text: string, secrets: string[]): void {
	for (const secret of secrets) for (const form of secretForms(secret)) expect(text).not.toContain(form);
}
