// Packages the app uses that ship no type declarations.
declare module 'bpmn-auto-layout' {
  /** Lays out a BPMN document without diagram interchange; resolves to the XML with it. */
  export function layoutProcess(xml: string): Promise<string>;
}
