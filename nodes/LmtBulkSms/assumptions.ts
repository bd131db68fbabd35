/**
 * LMT BulkSMS behaviour that nobody documents: our best guesses, kept here so
 * that each is one constant to change. docs/assumptions.md lists them.
 */

/**
 * How LMT words a refused API key or password. LMT's documentation gives only the
 * field errors ("invalid paramerters", "phone is invalid"); we take any error
 * whose message or listed errors name the key, the password or authentication
 * as a refused credential. Used by the sends (for the hint) and by the
 * credential test.
 */
export const AUTH_FAILURE_PATTERN = /\b(api[_ ]?key|password|mot de passe|authenti\w*|unauthori[sz]ed|non autoris\w*|credentials?|identifiants?)\b/i;

/**
 * LMT checks the key and the password before the other fields, so a push with
 * neither recipient nor text tells a bad credential (auth error) from a good
 * one (only missing-field errors), and sends nothing either way.
 */
export const CREDENTIAL_TEST_FIELDS = { message: '', sender: '', phone: '' };

/** Field errors that name the recipient: the number is what LMT refused. */
export const PHONE_ERROR_PATTERN = /\b(phone|num[ée]ro|msisdn)\b/i;

/**
 * LMT answers HTTP 200 for its own errors too: the body's `status` decides.
 * A non-2xx status or a body that is not this JSON is a failure as well.
 */
export const SUCCESS_STATUS = 'success';
