import { loadTemplateFiles } from '../render/template-files.ts';

/** The locales the templates speak (templates/locales/*.json, plus those of `templates.dir`), sorted. */
export function templateLocales(templatesDir: string, overrideDir: string | undefined): string[] {
  return Object.keys(loadTemplateFiles(templatesDir, overrideDir).locales).sort();
}
