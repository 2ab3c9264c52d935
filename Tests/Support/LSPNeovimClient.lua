-- Neovim (0.7+) as the client of `templatec lsp`, headless, for LSPNeovimTests:
--   TEMPLATEC_BINARY=… LSP_FILE=template.sql LSP_OUT=result.txt nvim --headless --clean -c "luafile LSPNeovimClient.lua"
-- Opens the template, waits for templatec's diagnostic, asks for the code actions, applies the
-- preferred one as Neovim applies any workspace edit, waits until the diagnostic is gone, then
-- stops the client and writes what happened to LSP_OUT, one `key=value` a line.
local out = {}
local function record(k, v) table.insert(out, k .. '=' .. tostring(v)) end
local function finish()
  local f = io.open(os.getenv('LSP_OUT'), 'w')
  f:write(table.concat(out, '\n') .. '\n')
  f:close()
  vim.cmd('qa!')
end

local ok, err = pcall(function()
  local file = os.getenv('LSP_FILE')
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local bufnr = vim.api.nvim_get_current_buf()
  local exit_code = nil
  local client_id = vim.lsp.start_client({
    name = 'templatec',
    cmd = { os.getenv('TEMPLATEC_BINARY'), 'lsp' },
    root_dir = vim.fn.fnamemodify(file, ':p:h'),
    on_exit = function(code) exit_code = code end,
  })
  record('started', client_id ~= nil)
  vim.lsp.buf_attach_client(bufnr, client_id)

  local function find(code)
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      if d.code == code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code == code) then return d end
    end
  end
  record('diagnosed', vim.wait(20000, function() return find('TPL009') ~= nil end, 20))
  local d = find('TPL009')
  if d == nil then return end
  -- Neovim turns the server's utf-16 columns into byte columns of the buffer line.
  record('lnum', d.lnum)
  record('col', d.col)
  record('source', d.source)

  local client = vim.lsp.get_client_by_id(client_id)
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = { start = { line = d.lnum, character = 0 }, ['end'] = { line = d.lnum + 1, character = 0 } },
    context = { diagnostics = {} },
  }
  local results = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', params, 10000) or {}
  local applied = false
  for _, res in pairs(results) do
    for _, action in ipairs(res.result or {}) do
      if action.isPreferred and not applied then
        record('action', action.title)
        vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding or 'utf-16')
        applied = true
      end
    end
  end
  record('applied', applied)
  record('cleared', vim.wait(20000, function() return find('TPL009') == nil end, 20))
  for i, line in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)) do record('line' .. i, line) end

  vim.lsp.stop_client(client_id)
  vim.wait(10000, function() return exit_code ~= nil end, 20)
  record('exit', exit_code)
end)
if not ok then record('error', err) end
finish()
