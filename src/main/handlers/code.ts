// Handlers for the code capability's methods.
import type { Mira } from '../app';
import type { Handlers } from '../transport/router';
import type { codeMethods } from '../../shared/api/code';

export function codeHandlers(mira: Mira): Pick<Handlers, keyof typeof codeMethods> {
  void mira;
  return {};
}
