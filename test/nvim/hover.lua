-- Headless Neovim as a second, independent LSP client (Neovim 0.7+ API).
-- Environment: BL_SERVER (dist/server.js), BL_FILE, BL_LINE, BL_COL (zero-based).
-- Writes one JSON object to stdout: { ok, hover | error }. Waits are on the client's own state.
local function out(tbl)
  io.stdout:write(vim.fn.json_encode(tbl) .. '\n')
  vim.cmd('qa!')
end

local initialized = false
vim.cmd('edit ' .. vim.fn.fnameescape(os.getenv('BL_FILE')))
local buf = vim.api.nvim_get_current_buf()
local id = vim.lsp.start_client({
  name = 'bundle-lens',
  cmd = { 'node', os.getenv('BL_SERVER'), '--stdio' },
  root_dir = vim.fn.getcwd(),
  on_init = function() initialized = true end,
})
if not id then return out({ ok = false, error = 'start_client failed' }) end
vim.lsp.buf_attach_client(buf, id)
if not vim.wait(15000, function() return initialized end, 20) then
  return out({ ok = false, error = 'server did not initialise' })
end

local params = {
  textDocument = { uri = vim.uri_from_bufnr(buf) },
  position = { line = tonumber(os.getenv('BL_LINE')), character = tonumber(os.getenv('BL_COL')) },
}
local results, err = vim.lsp.buf_request_sync(buf, 'textDocument/hover', params, 15000)
if not results then return out({ ok = false, error = tostring(err) }) end
for _, r in pairs(results) do
  if r.result then return out({ ok = true, hover = r.result }) end
  if r.err then return out({ ok = false, error = vim.fn.json_encode(r.err) }) end
end
out({ ok = false, error = 'no hover result' })
