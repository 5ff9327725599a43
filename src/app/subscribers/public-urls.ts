import type { NewsletterConfig, TidingsConfig } from '../../config/schema.ts';

/** The web app's public paths, in one place for the emails and the service. */
function base(config: Pick<TidingsConfig, 'web'>): string {
  return config.web.baseUrl.replace(/\/+$/, '');
}

/** `/archive/<newsletter>` when the archive is public, else undefined (no List-Archive). */
export function archiveUrlFor(
  config: Pick<TidingsConfig, 'web'>,
  newsletter: Pick<NewsletterConfig, 'id' | 'public'>,
): string | undefined {
  return newsletter.public ? `${base(config)}/archive/${newsletter.id}` : undefined;
}

export function confirmUrlFor(config: Pick<TidingsConfig, 'web'>, newsletterId: string, token: string): string {
  return `${base(config)}/s/${newsletterId}/confirm/${token}`;
}
