import { html, nothing, type TemplateResult } from 'lit';
import type { CallController } from '../call/call-controller.js';
import type { ChatFile, ChatLine } from '../data/chat-log.js';
import type { Strings } from '../i18n/strings.js';
import type { P2PVideoCall } from './p2p-video-call.js';

/** A file in the chat: a download link once here (never opened), its progress and Cancel while under way. */
function fileItem(call: CallController, T: Strings, f: ChatFile) {
  return html`<li>
    ${f.url ? html`<a href=${f.url} download=${f.name}>${f.name}</a>` : f.name}
    ${f.error ? T.fileError[f.error] : f.url || f.bytes === f.size ? nothing : html`<progress value=${f.bytes} max=${f.size} aria-label=${f.name}></progress> <button @click=${() => call.data.files.cancel(f.id)}>${T.cancel}</button>`}
  </li>`;
}

/**
 * The chat over the video: the lines and files of this call (a list, live: screen readers say what
 * arrives; text only, never markup), the input (Enter sends, Shift+Enter a new line) and Attach; files may also
 * be dropped on it.
 * Escape closes it.
 */
export function chatPanel(el: P2PVideoCall, call: CallController, T: Strings, lang: string): TemplateResult | typeof nothing {
  if (!el._chatOpen || el.noChat) return nothing;
  const time = (at: number) => new Date(at).toLocaleTimeString(lang, { hour: '2-digit', minute: '2-digit' });
  const line = (l: ChatLine) =>
    html`<li><b>${l.from === 'local' ? T.you : l.name || T.otherPerson}</b> <time>${time(l.at)}</time><br />${l.text}</li>`;
  const pick = (e: Event) => {
    const input = e.target as HTMLInputElement;
    for (const file of input.files ?? []) void el.sendFile(file);
    input.value = '';
  };
  return html`<section
    part="chat"
    aria-label=${T.chat}
    @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && void el._toggleChat(false)}
    @dragover=${(e: DragEvent) => e.preventDefault()}
    @drop=${(e: DragEvent) => {
      e.preventDefault();
      for (const file of e.dataTransfer?.files ?? []) void el.sendFile(file);
    }}
  >
    <ol aria-live="polite" tabindex="0">
      ${call.data.chat.items.map((item) => ('id' in item ? fileItem(call, T, item) : line(item)))}
    </ol>
    <textarea
      part="chat-input"
      rows="2"
      maxlength="2000"
      enterkeyhint="send"
      aria-label=${T.message}
      @keydown=${(e: KeyboardEvent) => {
        if (e.key !== 'Enter' || e.shiftKey || e.isComposing) return;
        e.preventDefault();
        const input = e.target as HTMLTextAreaElement;
        call.data.say(input.value, el.name);
        input.value = '';
      }}
    ></textarea>
    <button part="attach-button" @click=${(e: Event) => ((e.target as Element).nextElementSibling as HTMLElement).click()}>
      ${T.attach}</button
    ><input type="file" multiple hidden @change=${pick} />
  </section>`;
}
