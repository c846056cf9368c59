/**
 * Saves text the console produced as a file through the browser's own download (a Blob behind an
 * `<a download>`), the same in Electron and a web page. The object URL is released after the click.
 */
export function downloadText(text: string, fileName: string, type = 'text/html'): void {
  const url = URL.createObjectURL(new Blob([text], { type }))
  const a = document.createElement('a')
  a.href = url
  a.download = fileName
  a.style.display = 'none'
  document.body.appendChild(a)
  a.click()
  a.remove()
  // Revoking at once can cancel the download in some engines: let the click's navigation start first.
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
