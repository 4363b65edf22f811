/**
 * `/{lang}/lessons/{slug}/captures/{file}.pcap`: a recorded capture a lesson ships in its folder,
 * for `<SequenceDiagram capture="./file.pcap" />` (parsed in the browser) and its download link.
 * Reads only plain `.pcap` names directly inside the lesson folder.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { defaultContentDir, findLessonFolder } from '../../../../../../lib/lessons/folders.ts';
import { captureFileName } from '../../../../../../lib/client/wire/capture-file.ts';
import { isLang } from '../../../../../_i18n/negotiate.ts';

interface Params {
  params: Promise<{ lang: string; slug: string; file: string }>;
}

/** Serves the capture file, or 404 for an unknown lesson, an unsafe name or a missing file. */
export async function GET(_request: Request, { params }: Params): Promise<Response> {
  const { lang, slug, file } = await params;
  const name = captureFileName(file);
  const folder = isLang(lang) && name ? findLessonFolder(defaultContentDir(), slug) : undefined;
  if (!folder || !name) return notFound();
  let bytes: Buffer;
  try {
    bytes = await readFile(path.join(folder.dir, name));
  } catch {
    return notFound();
  }
  return new Response(new Uint8Array(bytes), {
    headers: {
      'content-type': 'application/vnd.tcpdump.pcap',
      'content-disposition': `attachment; filename="${name}"`,
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
    },
  });
}

function notFound(): Response {
  return new Response('No such capture\n', { status: 404 });
}
