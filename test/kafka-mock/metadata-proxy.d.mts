export interface MetadataProxy {
  host: string;
  port: number;
  close(): Promise<void>;
}

export function startMetadataProxy(options: {
  upstreamPort: number;
  host?: string;
  port?: number;
  log?: (message: string) => void;
}): Promise<MetadataProxy>;
