import path from 'node:path';
import pino from 'pino';
import type { Logger } from '../../src/core/logger.ts';
import { createRenderer, type Renderer } from '../../src/render/create-renderer.ts';

export const TEMPLATES_DIR = path.resolve(import.meta.dirname, '../../templates');
export const FIXTURES_DIR = path.resolve(import.meta.dirname, '../fixtures/render');

/** A logger that keeps its lines so a test can check what was warned. */
export function createRecordingLogger(): { logger: Logger; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const logger = pino({ level: 'debug', base: undefined }, { write: (line: string) => chunks.push(line) });
  return { logger, lines: () => chunks.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

let shared: Promise<Renderer> | null = null;
/** One renderer per test file: loading mjml and checking the templates takes most of a second. */
export function defaultRenderer(): Promise<Renderer> {
  shared ??= createRenderer({ templatesDir: TEMPLATES_DIR, logger: createRecordingLogger().logger });
  return shared;
}
