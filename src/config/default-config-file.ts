/** The configuration file read when no --config is given, in the current folder. */
export const DEFAULT_CONFIG_FILE = 'tidings.config.yaml';
