// Handlers for the git capability's methods.
import type { Mira } from '../app';
import type { Handlers } from '../transport/router';
import type { gitMethods } from '../../shared/api/git';

export function gitHandlers(mira: Mira): Pick<Handlers, keyof typeof gitMethods> {
  void mira;
  return {};
}
