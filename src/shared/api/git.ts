// The git capability's part of the contract: methods and events.
import { z } from 'zod';
import { method } from './define';

export const gitMethods = {};

export const gitEvents = {};

// Keeps the imports used until the first method lands.
void z;
void method;
