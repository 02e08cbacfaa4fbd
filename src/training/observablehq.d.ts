// Framework's standard library as local modules import it (the pages get these names implicitly).
declare module "observablehq:stdlib" {
  export function FileAttachment(name: string): {href: string; name: string; arrayBuffer(): Promise<ArrayBuffer>; json(): Promise<unknown>};
}
