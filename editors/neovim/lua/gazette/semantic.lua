-- Entity colouring for Neovim 0.7 and 0.8, which have no semantic token support: requests
-- textDocument/semanticTokens/full and paints the tokens as extmarks with the Gazette* groups.
--
-- Neovim 0.9+ does this natively (through the @lsp.type.* groups linked in init.lua); this module is
-- only attached on older versions.

local M = {}

M.namespace = vim.api.nvim_create_namespace("gazette_semantic_tokens")

local group_of_type = {}
for _, token in ipairs(require("gazette").token_types) do
  group_of_type[token.type] = token.group
end

--- Decodes the relative encoding of LSP semantic tokens into absolute
--- { line, start, length, type } entries (start and length in the position encoding's units).
function M.decode(data, legend_types)
  local tokens = {}
  local line, start = 0, 0
  for index = 1, #data - 4, 5 do
    local delta_line, delta_start = data[index], data[index + 1]
    if delta_line > 0 then
      line = line + delta_line
      start = delta_start
    else
      start = start + delta_start
    end
    table.insert(tokens, {
      line = line,
      start = start,
      length = data[index + 2],
      type = legend_types[data[index + 3] + 1],
    })
  end
  return tokens
end

--- Converts a column in the client's offset encoding to a byte column of `text`.
local function byte_column(text, column, encoding)
  if encoding == "utf-8" then
    return math.min(column, #text)
  end
  local ok, byte = pcall(vim.str_byteindex, text, column, encoding ~= "utf-32")
  if ok then
    return byte
  end
  return #text
end

--- Paints decoded tokens in `bufnr`; tokens of types without a Gazette group are skipped.
function M.paint(bufnr, tokens, encoding)
  vim.api.nvim_buf_clear_namespace(bufnr, M.namespace, 0, -1)
  local line_count = vim.api.nvim_buf_line_count(bufnr)
  for _, token in ipairs(tokens) do
    local group = group_of_type[token.type]
    if group ~= nil and token.line < line_count then
      local text = vim.api.nvim_buf_get_lines(bufnr, token.line, token.line + 1, false)[1] or ""
      local first = byte_column(text, token.start, encoding)
      local last = byte_column(text, token.start + token.length, encoding)
      vim.api.nvim_buf_set_extmark(bufnr, M.namespace, token.line, first, {
        end_col = last,
        hl_group = group,
        priority = 120,
      })
    end
  end
end

--- Requests the tokens of `bufnr` from `client` and paints them.
function M.refresh(client, bufnr)
  local provider = client.server_capabilities.semanticTokensProvider
  if provider == nil or not vim.api.nvim_buf_is_loaded(bufnr) then
    return
  end
  local legend_types = provider.legend.tokenTypes
  local params = { textDocument = { uri = vim.uri_from_bufnr(bufnr) } }
  client.request("textDocument/semanticTokens/full", params, function(err, result)
    if err ~= nil or result == nil or not vim.api.nvim_buf_is_loaded(bufnr) then
      return
    end
    M.paint(bufnr, M.decode(result.data or {}, legend_types), client.offset_encoding or "utf-16")
  end, bufnr)
end

--- Keeps `bufnr` painted: now, and after each pause in editing.
function M.attach(client, bufnr)
  if client.server_capabilities.semanticTokensProvider == nil then
    return
  end
  M.refresh(client, bufnr)
  local group = vim.api.nvim_create_augroup("gazette_semantic_" .. bufnr, { clear = true })
  vim.api.nvim_create_autocmd({ "InsertLeave", "TextChanged", "BufEnter" }, {
    group = group,
    buffer = bufnr,
    callback = function()
      -- Let the didChange reach the server first.
      vim.defer_fn(function()
        M.refresh(client, bufnr)
      end, 200)
    end,
  })
end

return M
