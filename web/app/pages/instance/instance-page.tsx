import type { PageProps } from '../../page.ts';
import { InstanceView } from './instance-view.tsx';

export default function InstancePage({ params }: PageProps) {
  return <InstanceView key={params.key} instanceKey={params.key!} />;
}
