-- End-to-end test of the Neovim plugin against the real `gazette serve` ($GAZETTE_BIN): a copy of the
-- sample corpus with a gazette.toml, opened in headless Neovim through require("gazette").setup().
--
-- Duplicate diagnostics are required. Hover, definition, references, code actions and semantic
-- tokens are asserted as soon as the server advertises them; until then they are reported as
-- pending (the summary line counts them), so this test tracks what the server has landed.

local here = vim.fn.fnamemodify(debug.getinfo(1, "S").source:sub(2), ":p:h")
package.path = here .. "/?.lua;" .. package.path
local H = require("harness")

local repo = vim.fn.fnamemodify(here, ":h:h:h")
local binary = vim.env.GAZETTE_BIN or (repo .. "/target/debug/gazette")

--- Copies the sample corpus into a fresh directory holding a gazette.toml.
local function make_workspace()
  local workspace = vim.fn.tempname()
  vim.fn.mkdir(workspace, "p")
  for _, file in ipairs(vim.fn.glob(repo .. "/examples/sample-corpus/*.txt", false, true)) do
    vim.fn.writefile(vim.fn.readfile(file, "b"), workspace .. "/" .. vim.fn.fnamemodify(file, ":t"), "b")
  end
  vim.fn.writefile({ "" }, workspace .. "/gazette.toml")
  return vim.fn.resolve(workspace)
end

local function lsp_code(diagnostic)
  local lsp = diagnostic.user_data and diagnostic.user_data.lsp or {}
  return diagnostic.code or lsp.code
end

--- Gazette's diagnostics in `bufnr` whose code matches `pattern` (default: the duplicate rules
--- GZ001 in-document, GZ002 across documents, GZ003 near-duplicate).
local function gazette_diagnostics(bufnr, pattern)
  local result = {}
  for _, diagnostic in ipairs(vim.diagnostic.get(bufnr)) do
    local code = lsp_code(diagnostic)
    if type(code) == "string" and code:match(pattern or "^GZ00[1-3]$") then
      table.insert(result, diagnostic)
    end
  end
  return result
end

--- The diagnostic in the protocol's shape (with its range), as a client sends it back in a
--- codeAction context. Neovim 0.7 keeps only part of it in user_data.lsp.
local function as_lsp_diagnostic(bufnr, diagnostic)
  for _, candidate in ipairs(vim.lsp.diagnostic.get_line_diagnostics(bufnr, diagnostic.lnum)) do
    if candidate.message == diagnostic.message and candidate.range ~= nil then
      return candidate
    end
  end
  error("no protocol diagnostic for " .. vim.inspect(diagnostic))
end

local function lines_of(diagnostics)
  local lines = {}
  for _, diagnostic in ipairs(diagnostics) do
    table.insert(lines, diagnostic.lnum)
  end
  table.sort(lines)
  return lines
end

local function open(path)
  vim.cmd("edit " .. vim.fn.fnameescape(path))
  local bufnr = vim.api.nvim_get_current_buf()
  local gazette = require("gazette")
  H.truthy(
    vim.wait(15000, function()
      local clients = gazette.clients(bufnr)
      return #clients > 0 and clients[1].initialized ~= false and clients[1].server_capabilities ~= nil
    end, 50),
    "a Gazette client attaches to " .. path
  )
  return bufnr, gazette.clients(bufnr)[1]
end

local function wait_for_diagnostics(bufnr, predicate)
  vim.wait(20000, function()
    return predicate(gazette_diagnostics(bufnr))
  end, 50)
  return gazette_diagnostics(bufnr)
end

--- A synchronous request to the Gazette client; errors fail the check.
local function request(client, bufnr, method, params)
  local response, err = client.request_sync(method, params, 10000, bufnr)
  H.truthy(response ~= nil, method .. " answered (" .. tostring(err) .. ")")
  H.truthy(response.err == nil, method .. " succeeded: " .. vim.inspect(response.err))
  return response.result
end

local function position_params(client, bufnr, line, byte_column)
  vim.api.nvim_win_set_buf(0, bufnr)
  vim.api.nvim_win_set_cursor(0, { line + 1, byte_column })
  return vim.lsp.util.make_position_params(0, client.offset_encoding)
end

local function as_list(result)
  if result == nil then
    return {}
  end
  if result.uri ~= nil or result.targetUri ~= nil then
    return { result }
  end
  return result
end

local function file_lines(uri)
  local path = vim.uri_to_fname(uri)
  local bufnr = vim.fn.bufnr(path)
  if bufnr ~= -1 and vim.api.nvim_buf_is_loaded(bufnr) then
    return vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
  end
  return vim.fn.readfile(path)
end

--- The text a location covers (single-line ranges; UTF-16 or UTF-8 columns).
local function location_text(location, encoding)
  local uri = location.uri or location.targetUri
  local range = location.range or location.targetSelectionRange or location.targetRange
  local line = file_lines(uri)[range.start.line + 1] or ""
  local use_utf16 = encoding ~= "utf-8"
  local first = use_utf16 and vim.str_byteindex(line, range.start.character, true) or range.start.character
  local last = use_utf16 and vim.str_byteindex(line, range["end"].character, true) or range["end"].character
  return line:sub(first + 1, last)
end

local DA_NANG_FORMS = { "Da Nang", "DA NANG", "Đà Nẵng", "Đà Nẵng", "Danang" }

local function is_da_nang(text)
  for _, form in ipairs(DA_NANG_FORMS) do
    if text:find(form, 1, true) then
      return true
    end
  end
  return false
end

H.run(function()
  H.truthy(vim.fn.executable(binary) == 1, "the server binary exists: " .. binary)
  local workspace = make_workspace()
  local gazette = require("gazette")
  local notifications = {}
  -- Recorded for the checks and echoed on stdout on their own line (headless messages have none).
  vim.notify = function(message, level)
    table.insert(notifications, { message = message, level = level })
    io.stdout:write("notify  " .. message .. "\n")
  end
  gazette.setup({ server_path = binary })

  local dup_buf, client = open(workspace .. "/001_a9298164ea9b0dd7.txt")

  H.check("the client runs in the corpus root with a negotiated encoding", function()
    H.eq(client.config.root_dir, workspace, "root_dir")
    H.truthy(vim.tbl_contains({ "utf-8", "utf-16", "utf-32" }, client.offset_encoding), "encoding " .. tostring(client.offset_encoding))
  end)

  H.check("duplicated block reported on the right lines (001: lines 10-14 repeat 5-9)", function()
    local diagnostics = wait_for_diagnostics(dup_buf, function(found)
      return #found > 0
    end)
    H.truthy(#diagnostics > 0, "Gazette diagnostics arrive within 20 s")
    local lines = lines_of(diagnostics)
    H.eq(lines[1], 9, "first duplicate line (0-based)")
    for _, line in ipairs(lines) do
      H.truthy(line >= 9 and line <= 13, "diagnostic inside the repeated block, got line " .. line)
    end
    for _, diagnostic in ipairs(diagnostics) do
      H.truthy(diagnostic.severity == vim.diagnostic.severity.WARN or diagnostic.severity == vim.diagnostic.severity.ERROR
        or diagnostic.severity == vim.diagnostic.severity.INFO or diagnostic.severity == vim.diagnostic.severity.HINT, "severity")
      H.truthy(#diagnostic.message > 10, "a sentence for humans: " .. diagnostic.message)
    end
  end)

  H.check("the duplicate points at the first copy (related information)", function()
    local first = gazette_diagnostics(dup_buf)[1]
    H.truthy(first, "a diagnostic")
    local related = first.user_data and first.user_data.lsp and first.user_data.lsp.relatedInformation or {}
    H.truthy(#related > 0, "related information on " .. vim.inspect(first.user_data and first.user_data.lsp))
    H.eq(related[1].location.range.start.line, 4, "first copy starts on line index 4")
  end)

  if client.server_capabilities.codeActionProvider then
    H.check("the quick fix deletes the repeated copy and the diagnostic clears", function()
      local first = gazette_diagnostics(dup_buf)[1]
      local lsp_diagnostic = as_lsp_diagnostic(dup_buf, first)
      local actions = request(client, dup_buf, "textDocument/codeAction", {
        textDocument = { uri = vim.uri_from_bufnr(dup_buf) },
        range = lsp_diagnostic.range,
        context = { diagnostics = { lsp_diagnostic }, only = { "quickfix" } },
      }) or {}
      local fix
      for _, action in ipairs(actions) do
        if action.edit ~= nil and (action.kind == nil or action.kind:match("^quickfix")) then
          fix = fix or action
        end
      end
      H.truthy(fix, "a quick fix with an edit among " .. vim.inspect(actions))
      local before = vim.api.nvim_buf_line_count(dup_buf)
      vim.lsp.util.apply_workspace_edit(fix.edit, client.offset_encoding)
      H.truthy(vim.api.nvim_buf_line_count(dup_buf) < before, "lines were deleted")
      local remaining = wait_for_diagnostics(dup_buf, function(found)
        return #found == 0
      end)
      H.eq(lines_of(remaining), {}, "duplicate diagnostics after the fix")
    end)
  else
    H.pending("quick fix for a duplicate", "the server does not advertise codeActionProvider")
  end

  local article, _ = open(workspace .. "/000_9c21d3f726678668.txt")

  H.check("a repeated line is reported (000: line 11 repeats line 10)", function()
    local diagnostics = wait_for_diagnostics(article, function(found)
      return #found > 0
    end)
    H.eq(lines_of(diagnostics), { 10 }, "duplicate lines in 000")
    -- The article opens with a lone "." line, which GZ004 reports.
    H.truthy(vim.tbl_contains(lines_of(gazette_diagnostics(article, "^GZ004$")), 0), "GZ004 on the lone '.' of line 1")
  end)

  -- "Da Nang" opens line 8 (index 7) of 000; the same locality is "Đà Nẵng" in 001 and "Da Nang" in 004.
  local da_nang_line, da_nang_column = 7, 0
  H.check("the test's anchor is where the test expects it", function()
    local text = vim.api.nvim_buf_get_lines(article, da_nang_line, da_nang_line + 1, false)[1]
    H.eq(text:sub(1, 7), "Da Nang", "anchor text")
  end)

  if client.server_capabilities.hoverProvider then
    H.check("hover on a locality names it", function()
      local result = request(client, article, "textDocument/hover", position_params(client, article, da_nang_line, da_nang_column + 3))
      H.truthy(result and result.contents, "hover contents")
      local text = table.concat(vim.lsp.util.convert_input_to_markdown_lines(result.contents), "\n")
      H.truthy(is_da_nang(text), "hover mentions Da Nang: " .. text)
    end)
  else
    H.pending("hover on a locality", "the server does not advertise hoverProvider")
  end

  if client.server_capabilities.definitionProvider then
    H.check("go to definition lands on a mention of the same locality", function()
      local result = request(client, article, "textDocument/definition", position_params(client, article, da_nang_line, da_nang_column + 3))
      local locations = as_list(result)
      H.truthy(#locations > 0, "definition locations")
      vim.lsp.util.jump_to_location(locations[1], client.offset_encoding)
      local cursor = vim.api.nvim_win_get_cursor(0)
      local target_range = locations[1].range or locations[1].targetSelectionRange
      H.eq(cursor[1] - 1, target_range.start.line, "cursor line after the jump")
      H.eq(vim.uri_from_bufnr(0), locations[1].uri or locations[1].targetUri, "buffer after the jump")
      H.truthy(is_da_nang(location_text(locations[1], client.offset_encoding)), "definition text: " .. location_text(locations[1], client.offset_encoding))
    end)
  else
    H.pending("go to definition of a locality", "the server does not advertise definitionProvider")
  end

  if client.server_capabilities.referencesProvider then
    H.check("references list the locality across documents and languages", function()
      local params = position_params(client, article, da_nang_line, da_nang_column + 3)
      params.context = { includeDeclaration = true }
      local locations = as_list(request(client, article, "textDocument/references", params))
      local documents = {}
      for _, location in ipairs(locations) do
        documents[vim.fn.fnamemodify(vim.uri_to_fname(location.uri), ":t")] = true
        H.truthy(is_da_nang(location_text(location, client.offset_encoding)), "reference text: " .. location_text(location, client.offset_encoding))
      end
      H.truthy(documents["000_9c21d3f726678668.txt"], "references include the article itself")
      H.truthy(documents["004_ae268ecac20d5d8f.txt"], "references include 004 (Da Nang, English)")
      H.truthy(documents["001_a9298164ea9b0dd7.txt"], "references include 001 (Đà Nẵng, Vietnamese): " .. vim.inspect(vim.tbl_keys(documents)))
    end)
    H.check(":GazetteMentions fills the quickfix list", function()
      vim.fn.setqflist({})
      position_params(client, article, da_nang_line, da_nang_column + 3)
      vim.cmd("GazetteMentions")
      H.truthy(vim.wait(10000, function()
        return #vim.fn.getqflist() > 1
      end, 50), "quickfix entries: " .. #vim.fn.getqflist())
    end)
  else
    H.pending("references across documents", "the server does not advertise referencesProvider")
  end

  if client.server_capabilities.semanticTokensProvider then
    H.check("localities are highlighted through the semantic token types", function()
      local legend = client.server_capabilities.semanticTokensProvider.legend.tokenTypes
      H.truthy(vim.tbl_contains(legend, "locality"), "legend has locality: " .. vim.inspect(legend))
      -- "Da Nang" of line 8 sits inside an organisation's name ("Da Nang People's Committee"), which
      -- wins without overlapping tokens; the title's "Daegu" (line 3) is a locality on its own.
      local title_line = 2
      local title = vim.api.nvim_buf_get_lines(article, title_line, title_line + 1, false)[1]
      local daegu = H.truthy(title:find("Daegu", 1, true), "Daegu in the title: " .. title) - 1
      local groups = {}
      H.truthy(vim.wait(10000, function()
        groups = {}
        local namespace = require("gazette.semantic").namespace
        local marks = vim.api.nvim_buf_get_extmarks(article, namespace, { title_line, 0 }, { title_line, -1 }, { details = true })
        for _, mark in ipairs(marks) do
          if mark[3] == daegu and mark[4].end_col == daegu + #"Daegu" then
            groups[mark[4].hl_group] = true
          end
        end
        return groups.GazetteLocality == true
      end, 50), "GazetteLocality on Daegu, found " .. vim.inspect(groups))
    end)
  else
    H.pending("semantic tokens for entities", "the server does not advertise semanticTokensProvider")
  end

  H.check(":GazetteReindex runs the server command or says it is unsupported", function()
    notifications = {}
    vim.api.nvim_win_set_buf(0, article)
    vim.cmd("GazetteReindex")
    if gazette.resolve_server_command(client, "reindex") ~= nil then
      vim.wait(2000, function()
        return false
      end, 50)
      for _, entry in ipairs(notifications) do
        H.truthy(entry.level ~= vim.log.levels.ERROR, "no error after reindex: " .. entry.message)
      end
    else
      H.truthy(notifications[1] and notifications[1].message:find("does not support reindex", 1, true), vim.inspect(notifications))
      H.pending("server command reindex", "the server does not advertise it")
    end
  end)

  H.check(":GazetteExportAnnotations writes the export (server command or CLI)", function()
    local out = workspace .. "/export-test"
    vim.api.nvim_win_set_buf(0, article)
    vim.cmd("GazetteExportAnnotations jsonl " .. vim.fn.fnameescape(out))
    H.truthy(vim.wait(30000, function()
      return vim.fn.filereadable(out .. "/annotations.jsonl") == 1
    end, 50), "annotations.jsonl in " .. out .. ": " .. vim.inspect(vim.fn.glob(out .. "/*", false, true)))
    local first = vim.fn.json_decode(vim.fn.readfile(out .. "/annotations.jsonl")[1])
    H.truthy(type(first) == "table" and first.text ~= nil, "a JSONL record with the document text")
  end)

  if gazette.resolve_server_command(client, "acceptAllSuggestions") ~= nil then
    H.check(":GazetteAcceptAllSuggestions LOC stores accepted annotations", function()
      vim.api.nvim_win_set_buf(0, article)
      vim.cmd("GazetteAcceptAllSuggestions LOC")
      H.truthy(vim.wait(10000, function()
        return #vim.fn.glob(workspace .. "/.gazette/annotations/**", false, true) > 0
      end, 50), "an annotation file under .gazette/annotations")
    end)
  else
    H.pending("accept all suggestions", "the server does not advertise gazette.review.acceptAll")
  end

  for _, running in ipairs(gazette.clients()) do
    running.stop()
  end
  vim.wait(2000, function()
    return #gazette.clients() == 0
  end, 50)
end)
